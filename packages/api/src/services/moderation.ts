import { TRPCError } from "@trpc/server";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { channelRestriction, chatMessage, type Database } from "@onair/db";
import { localChanges } from "./cache";
import { publishChatEvent } from "./chat";
import type { ChannelRole } from "./chat-audience";
import type { Channel } from "./channels";
import { findUserByUsername } from "./creators";
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

/** The target, if `moderator` may act on them: nobody restricts the creator; a moderator restricts no fellow moderator. */
async function targetOf(db: Database, channel: Channel, moderator: Moderator, username: string) {
  const target = await findUserByUsername(db, username);
  if (target.id === channel.ownerId) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "username: the channel's creator cannot be restricted in their own channel" });
  }
  if (moderator.channelRole === "moderator" && (await isChannelModerator(db, channel.id, target.id))) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only the channel's creator can restrict a moderator" });
  }
  return target;
}

/**
 * Times out, bans or blocks `username` in the channel (replacing any earlier restriction), removes
 * their recent messages from everyone's chat and `chat.history`, and tells the user and the channel's
 * moderators (the `restricted` event; everyone else only sees the messages go).
 */
export async function restrictUser(
  db: Database,
  channel: Channel,
  moderator: Moderator,
  input: { username: string; kind: RestrictionKind; minutes?: number | undefined },
) {
  const target = await targetOf(db, channel, moderator, input.username);
  const minutes = input.kind === "timeout" ? (input.minutes ?? 10) : null;
  const until = minutes !== null ? new Date(Date.now() + minutes * 60_000) : null;
  const values = { kind: input.kind, until, createdById: moderator.id, createdAt: new Date() };
  const removed = await db.transaction(async (tx) => {
    await tx
      .insert(channelRestriction)
      .values({ streamId: channel.id, userId: target.id, ...values })
      .onConflictDoUpdate({ target: [channelRestriction.streamId, channelRestriction.userId], set: values });
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

/** Lifts a timeout, ban or block; a block only by the creator or an admin. */
export async function liftRestriction(db: Database, channel: Channel, moderator: Moderator, username: string) {
  const target = await findUserByUsername(db, username);
  const removed = await db.transaction(async (tx) => {
    const where = and(eq(channelRestriction.streamId, channel.id), eq(channelRestriction.userId, target.id));
    const [current] = await tx.select({ kind: channelRestriction.kind }).from(channelRestriction).where(where).for("update");
    if (current?.kind === "block" && moderator.channelRole !== "owner") {
      throw new TRPCError({ code: "FORBIDDEN", message: "Only the channel's creator can lift a block" });
    }
    const rows = await tx.delete(channelRestriction).where(where).returning({ kind: channelRestriction.kind });
    if (rows.length > 0) {
      const lifted = { type: "restricted", userId: target.id, username: target.username, kind: null, until: null, minutes: null } as const;
      await publishChatEvent(tx, channel.id, { ...lifted, by: moderator.username });
    }
    return rows;
  });
  localChanges.emit("restriction", channel.id);
  return { username: target.username, lifted: removed.length > 0 };
}

/** Soft-deletes a message of this channel and tells every open chat to drop it. */
export async function deleteMessage(db: Database, channel: Channel, moderatorId: string, messageId: number) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(chatMessage)
      .set({ deletedAt: sql`now()`, deletedById: moderatorId })
      .where(and(eq(chatMessage.id, messageId), eq(chatMessage.streamId, channel.id)))
      .returning({ id: chatMessage.id });
    if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `No message ${messageId} in this channel` });
    await publishChatEvent(tx, channel.id, { type: "deleted", id: messageId });
    return { id: messageId, deleted: true };
  });
}
