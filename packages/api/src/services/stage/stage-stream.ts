import { alias } from "drizzle-orm/pg-core";
import { and, asc, eq, isNull } from "drizzle-orm";
import { broadcast, stageGuest, stream, user, type Database } from "@onair/db";
import { RESYNC } from "../shared/events";
import { patiently } from "../shared/patiently";
import type { StageEvent, StageEvents } from "./stage-events";

const inviter = alias(user, "inviter");

/** The user's open invitations (on broadcasts still live), oldest first, as `invited` events. */
export async function pendingInvitations(db: Database, userId: string): Promise<StageEvent[]> {
  const rows = await db
    .select({ channel: user.username, invitedBy: inviter.username, at: stageGuest.invitedAt })
    .from(stageGuest)
    .innerJoin(broadcast, eq(broadcast.id, stageGuest.broadcastId))
    .innerJoin(stream, eq(stream.id, broadcast.streamId))
    .innerJoin(user, eq(user.id, stream.userId))
    .leftJoin(inviter, eq(inviter.id, stageGuest.invitedBy))
    .where(and(eq(stageGuest.userId, userId), eq(stageGuest.status, "invited"), isNull(broadcast.endedAt)))
    .orderBy(asc(stageGuest.invitedAt));
  return rows.map((row) => ({
    type: "invited",
    channel: row.channel ?? "",
    ...(row.invitedBy ? { invitedBy: row.invitedBy } : {}),
    at: row.at,
  }));
}

/**
 * `stage.onInvite`: the caller's open invitations first, then each new one and each withdrawal as it
 * happens. Listening starts before the table is read, so nothing falls in between. After a deaf bus
 * (`RESYNC`) the table is read again: what opened meanwhile is sent, what closed is sent as withdrawn.
 */
export async function* stageInviteStream(db: Database, events: StageEvents, userId: string, signal: AbortSignal | undefined) {
  const live = events.subscribe(userId, signal);
  /** Channels whose invitation this stream has shown and not yet withdrawn. */
  const open = new Set<string>();

  function* settle(pending: StageEvent[]) {
    const now = new Set(pending.map((event) => event.channel));
    for (const channel of open) {
      if (now.has(channel)) continue;
      open.delete(channel);
      yield { type: "withdrawn", channel } satisfies StageEvent;
    }
    for (const event of pending) {
      if (open.has(event.channel)) continue;
      open.add(event.channel);
      yield event;
    }
  }

  try {
    yield* settle(await pendingInvitations(db, userId));
    for await (const event of live) {
      if (event === RESYNC) {
        yield* settle(await patiently(() => pendingInvitations(db, userId), signal));
        continue;
      }
      if (event.type === "removed") {
        open.delete(event.channel);
        yield event;
        continue;
      }
      // Each channel's invitation once (it may be both in the table and on the bus), each withdrawal of one shown.
      if (event.type === "invited" ? open.has(event.channel) : !open.has(event.channel)) continue;
      if (event.type === "invited") open.add(event.channel);
      else open.delete(event.channel);
      yield event;
    }
  } finally {
    await live.return();
  }
}
