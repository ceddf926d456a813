import { and, asc, desc, eq, gt, lt, sql } from "drizzle-orm";
import { moderationLog, notify, type Database, type DatabaseHandle } from "@onair/db";
import { Fanout } from "../shared/events";

/** Each new `moderation_log` row, to the channel's moderators (`moderation.onChange`). */
export const MODERATION_CHANNEL = "onair_moderation";

export type ModerationAction = (typeof moderationLog.action.enumValues)[number];

/** One entry of `moderation.log`: who did what to whom, when. */
export interface ModerationEntry {
  id: number;
  actor: string;
  target: string;
  action: ModerationAction;
  minutes?: number;
  reason?: string;
  at: Date;
}

type Wire = { streamId: string; entry: Omit<ModerationEntry, "at"> & { at: string | Date } };

export function createModerationEvents(listen: DatabaseHandle["listen"]) {
  return new Fanout<ModerationEntry>(listen, MODERATION_CHANNEL, (payload) => {
    const { streamId, entry } = JSON.parse(payload) as Wire;
    return { key: streamId, value: { ...entry, at: new Date(entry.at) } };
  });
}
export type ModerationEvents = ReturnType<typeof createModerationEvents>;

/** Advisory lock class of the per-channel moderation log (the second key is a hash of the channel id). */
const LOG_LOCK_CLASS = 0x6f6e6d6c;

/**
 * Writes one entry inside the transaction that takes the action, and announces it on commit. The
 * channel's log lock is taken before the id is drawn and held to commit, so a channel's entries
 * commit (and are announced) in id order: "after id N" misses nothing. Take it last in a transaction.
 */
export async function recordModeration(
  tx: Database,
  streamId: string,
  entry: {
    actor: { id: string; username: string };
    target: { id: string; username: string };
    action: ModerationAction;
    minutes?: number | null | undefined;
    reason?: string | null | undefined;
  },
): Promise<ModerationEntry> {
  await tx.execute(sql`select pg_advisory_xact_lock(${LOG_LOCK_CLASS}, hashtext(${streamId}))`);
  const [row] = await tx
    .insert(moderationLog)
    .values({
      streamId,
      actorId: entry.actor.id,
      actorName: entry.actor.username,
      targetId: entry.target.id,
      targetName: entry.target.username,
      action: entry.action,
      minutes: entry.minutes ?? null,
      reason: entry.reason || null,
    })
    .returning();
  const written = toEntry(row!);
  await notify(tx, MODERATION_CHANNEL, JSON.stringify({ streamId, entry: written } satisfies Wire));
  return written;
}

function toEntry(row: typeof moderationLog.$inferSelect): ModerationEntry {
  return {
    id: row.id,
    actor: row.actorName,
    target: row.targetName,
    action: row.action,
    ...(row.minutes !== null && { minutes: row.minutes }),
    ...(row.reason !== null && { reason: row.reason }),
    at: row.createdAt,
  };
}

/** A page of the channel's log, newest first, before `cursor` (an entry id); `nextCursor` is null on the last page. */
export async function moderationPage(db: Database, streamId: string, cursor: number | undefined, limit: number) {
  const rows = await db
    .select()
    .from(moderationLog)
    .where(and(eq(moderationLog.streamId, streamId), cursor === undefined ? undefined : lt(moderationLog.id, cursor)))
    .orderBy(desc(moderationLog.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit).map(toEntry);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
}

/** Entries after `afterId`, oldest first, at most `limit`: what a reconnecting subscriber missed. */
export async function moderationAfter(db: Database, streamId: string, afterId: number, limit: number) {
  const rows = await db
    .select()
    .from(moderationLog)
    .where(and(eq(moderationLog.streamId, streamId), gt(moderationLog.id, afterId)))
    .orderBy(asc(moderationLog.id))
    .limit(limit);
  return rows.map(toEntry);
}

/** The newest entry id of the channel (0 for none): where a fresh subscriber starts. */
export async function newestModerationId(db: Database, streamId: string): Promise<number> {
  const [row] = await db
    .select({ id: moderationLog.id })
    .from(moderationLog)
    .where(eq(moderationLog.streamId, streamId))
    .orderBy(desc(moderationLog.id))
    .limit(1);
  return row?.id ?? 0;
}
