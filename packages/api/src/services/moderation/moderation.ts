import { TRPCError } from "@trpc/server";
import { and, asc, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { channelRestriction, chatMessage, user, type Database } from "@onair/db";
import { localChanges } from "../shared/cache";
import { publishChatEvent } from "../chat/chat-bus";
import type { ChannelRole } from "../chat/chat-audience";
import type { Channel } from "../live/channels";
import { findUserByUsername } from "../live/creators";
import { recordModeration } from "./moderation-log";
import { isChannelModerator } from "./moderators";

export type RestrictionKind = "timeout" | "ban" | "block";

/** Who acts: their id and username, and how they stand in the channel. */
export interface Moderator {
  id: string;
  username: string;
  channelRole: Exclude<ChannelRole, null>;
}

/** A ban or timeout removes the user's messages of this long ago and since from everyone's chat (as Twitch does). */
export const REMOVE_RECENT_HOURS = 24;
/** At most this many of them (the newest): chat.history shows at most 200. */
export const REMOVE_RECENT_MAX = 300;

const forbidden = (message: string) => new TRPCError({ code: "FORBIDDEN", message });

/**
 * Whom an appointed moderator may not act on in the channel (restrict, lift, delete the messages of):
 * its creator, a site admin, a fellow moderator (FORBIDDEN). The creator and admins may act on anyone
 * but the creator (see `targetOf`). A block is guarded where it is written, atomically (below).
 */
async function refuseProtected(db: Database, channel: Channel, moderator: Moderator, target: { id: string; role: string | null }) {
  if (moderator.channelRole !== "moderator") return;
  if (target.id === channel.ownerId) throw forbidden("A moderator cannot act on the channel's creator");
  if (target.role === "admin") throw forbidden("A moderator cannot act on a site admin");
  if (await isChannelModerator(db, channel.id, target.id)) {
    throw forbidden("A moderator cannot act on a fellow moderator: only the channel's creator can");
  }
}

/** The user `moderator` may restrict: never the creator in their own channel, nor anyone `refuseProtected` keeps. */
async function targetOf(db: Database, channel: Channel, moderator: Moderator, username: string) {
  const target = await findUserByUsername(db, username);
  await refuseProtected(db, channel, moderator, target);
  if (target.id === channel.ownerId) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "username: the channel's creator cannot be restricted in their own channel" });
  }
  return target;
}

/**
 * A block is lifted only by lifting it (by the creator or an admin): a timeout or ban never replaces
 * it, so nobody hands a blocked user their viewer token back by accident. A moderator is FORBIDDEN;
 * the creator or an admin gets a CONFLICT saying how to do it on purpose.
 */
function blockedError(moderator: Moderator, username: string) {
  if (moderator.channelRole === "moderator") {
    return forbidden(`${username} is blocked by the channel's creator: only the creator (or an admin) can change that`);
  }
  return new TRPCError({
    code: "CONFLICT",
    message: `${username} is blocked from this channel, which keeps them out of its chat already: lift the block first to time them out or ban them instead`,
  });
}

/**
 * Times out, bans or blocks `username` in the channel (replacing any earlier restriction, except that
 * only a block replaces a block: `blockedError`), removes their recent messages from everyone's chat
 * and `chat.history`, and tells the user and the channel's moderators (the `restricted` event; everyone
 * else only sees the messages go).
 */
export async function restrictUser(
  db: Database,
  channel: Channel,
  moderator: Moderator,
  input: { username: string; kind: RestrictionKind; minutes?: number | undefined; reason?: string | undefined },
) {
  const target = await targetOf(db, channel, moderator, input.username);
  const minutes = input.kind === "timeout" ? (input.minutes ?? 10) : null;
  const until = minutes !== null ? new Date(Date.now() + minutes * 60_000) : null;
  const values = { kind: input.kind, until, createdById: moderator.id, createdAt: new Date() };
  const removed = await db.transaction(async (tx) => {
    // One statement decides: a block in place is never overwritten by a timeout or ban (no row comes back),
    // whichever of two racing calls commits first.
    const keepsBlock = input.kind === "block" ? {} : { setWhere: sql`${channelRestriction.kind} <> 'block'` };
    const [written] = await tx
      .insert(channelRestriction)
      .values({ streamId: channel.id, userId: target.id, ...values })
      .onConflictDoUpdate({ target: [channelRestriction.streamId, channelRestriction.userId], set: values, ...keepsBlock })
      .returning({ kind: channelRestriction.kind });
    if (!written) throw blockedError(moderator, target.username);
    const ids = await removeRecentMessages(tx, channel.id, target.id, moderator.id);
    if (ids.length > 0) await publishChatEvent(tx, channel.id, { type: "removed", ids });
    await publishChatEvent(tx, channel.id, {
      type: "restricted",
      userId: target.id,
      username: target.username,
      kind: input.kind,
      until: until?.toISOString() ?? null,
      minutes,
      by: moderator.username,
    });
    await recordModeration(tx, channel.id, { actor: moderator, target, action: input.kind, minutes, reason: input.reason });
    return ids;
  });
  localChanges.emit("restriction", channel.id);
  return { username: target.username, userId: target.id, kind: input.kind, until, removedMessages: removed.length };
}

/** Soft-deletes the user's recent messages in the channel; their ids, oldest first. */
async function removeRecentMessages(db: Database, streamId: string, userId: string, moderatorId: string) {
  const recent = db
    .select({ id: chatMessage.id })
    .from(chatMessage)
    .where(
      and(
        eq(chatMessage.streamId, streamId),
        eq(chatMessage.userId, userId),
        isNull(chatMessage.deletedAt),
        gt(chatMessage.createdAt, sql`now() - make_interval(hours => ${REMOVE_RECENT_HOURS})`),
      ),
    )
    .orderBy(desc(chatMessage.id))
    .limit(REMOVE_RECENT_MAX);
  const rows = await db
    .update(chatMessage)
    .set({ deletedAt: sql`now()`, deletedById: moderatorId })
    .where(sql`${chatMessage.id} in (${recent})`)
    .returning({ id: chatMessage.id });
  return rows.map((row) => row.id).sort((a, b) => a - b);
}

/** Lifts a timeout, ban or block; a block only by the creator or an admin (the row is locked while deciding). */
export async function liftRestriction(db: Database, channel: Channel, moderator: Moderator, username: string) {
  const target = await findUserByUsername(db, username);
  await refuseProtected(db, channel, moderator, target);
  const removed = await db.transaction(async (tx) => {
    const where = and(eq(channelRestriction.streamId, channel.id), eq(channelRestriction.userId, target.id));
    const [current] = await tx.select({ kind: channelRestriction.kind }).from(channelRestriction).where(where).for("update");
    if (current?.kind === "block" && moderator.channelRole !== "owner") throw blockedError(moderator, target.username);
    const rows = await tx.delete(channelRestriction).where(where).returning({ kind: channelRestriction.kind });
    if (rows.length > 0) {
      const lifted = { type: "restricted", userId: target.id, username: target.username, kind: null, until: null, minutes: null } as const;
      await publishChatEvent(tx, channel.id, { ...lifted, by: moderator.username });
      await recordModeration(tx, channel.id, { actor: moderator, target, action: current?.kind === "block" ? "unblock" : "unban" });
    }
    return rows;
  });
  localChanges.emit("restriction", channel.id);
  return { username: target.username, lifted: removed.length > 0 };
}

/** Soft-deletes a message of this channel and tells every open chat to drop it (a moderator: see `refuseProtected`). */
export async function deleteMessage(db: Database, channel: Channel, moderator: Moderator, messageId: number) {
  return db.transaction(async (tx) => {
    const [message] = await tx
      .select({ authorId: chatMessage.userId, authorName: user.username, authorRole: user.role })
      .from(chatMessage)
      .innerJoin(user, eq(user.id, chatMessage.userId))
      .where(and(eq(chatMessage.id, messageId), eq(chatMessage.streamId, channel.id)));
    if (!message) throw new TRPCError({ code: "NOT_FOUND", message: `No message ${messageId} in this channel` });
    await refuseProtected(tx, channel, moderator, { id: message.authorId, role: message.authorRole });
    await tx
      .update(chatMessage)
      .set({ deletedAt: sql`now()`, deletedById: moderator.id })
      .where(eq(chatMessage.id, messageId));
    await publishChatEvent(tx, channel.id, { type: "deleted", id: messageId });
    const author = { id: message.authorId, username: message.authorName ?? "" };
    await recordModeration(tx, channel.id, { actor: moderator, target: author, action: "delete" });
    return { id: messageId, deleted: true };
  });
}

/** The channel's restrictions in force, oldest first. */
export function listRestrictions(db: Database, streamId: string) {
  return db
    .select({
      username: user.username,
      kind: channelRestriction.kind,
      until: channelRestriction.until,
      createdAt: channelRestriction.createdAt,
    })
    .from(channelRestriction)
    .innerJoin(user, eq(user.id, channelRestriction.userId))
    .where(
      sql`${channelRestriction.streamId} = ${streamId} and (${channelRestriction.until} is null or ${channelRestriction.until} > now())`,
    )
    .orderBy(asc(channelRestriction.createdAt));
}
