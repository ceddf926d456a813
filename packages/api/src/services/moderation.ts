import { TRPCError } from "@trpc/server";
import { and, eq, sql } from "drizzle-orm";
import { channelRestriction, chatMessage, type Database } from "@onair/db";
import { localChanges } from "./cache";
import { publishChatEvent } from "./chat";
import type { Channel } from "./channels";
import { findUserByUsername } from "./creators";

export type RestrictionKind = "timeout" | "ban" | "block";

/** Times out, bans or blocks `username` in the channel (replacing any earlier restriction). */
export async function restrictUser(
  db: Database,
  channel: Channel,
  moderatorId: string,
  input: { username: string; kind: RestrictionKind; minutes?: number | undefined },
) {
  const target = await findUserByUsername(db, input.username);
  if (target.id === channel.ownerId) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "username: the channel's creator cannot be restricted in their own channel" });
  }
  const until = input.kind === "timeout" ? new Date(Date.now() + (input.minutes ?? 10) * 60_000) : null;
  const values = { kind: input.kind, until, createdById: moderatorId, createdAt: new Date() };
  await db.transaction(async (tx) => {
    await tx
      .insert(channelRestriction)
      .values({ streamId: channel.id, userId: target.id, ...values })
      .onConflictDoUpdate({ target: [channelRestriction.streamId, channelRestriction.userId], set: values });
    await publishChatEvent(tx, channel.id, { type: "restricted", userId: target.id, kind: input.kind, until: until?.toISOString() ?? null });
  });
  localChanges.emit("restriction", channel.id);
  return { username: target.username, kind: input.kind, until };
}

export async function liftRestriction(db: Database, channel: Channel, username: string) {
  const target = await findUserByUsername(db, username);
  const removed = await db.transaction(async (tx) => {
    const rows = await tx
      .delete(channelRestriction)
      .where(and(eq(channelRestriction.streamId, channel.id), eq(channelRestriction.userId, target.id)))
      .returning({ kind: channelRestriction.kind });
    if (rows.length > 0) {
      await publishChatEvent(tx, channel.id, { type: "restricted", userId: target.id, kind: null, until: null });
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
