import { TRPCError } from "@trpc/server";
import { and, asc, eq } from "drizzle-orm";
import { channelModerator, user, type Database } from "@onair/db";
import { localChanges } from "../shared/cache";
import { publishChatEvent } from "../chat/chat-bus";
import type { Channel } from "../live/channels";
import { findUserByUsername } from "../live/creators";
import { recordModeration } from "./moderation-log";

/** Whether `userId` was appointed a moderator of the channel (its creator and admins are not listed). */
export async function isChannelModerator(db: Database, streamId: string, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: channelModerator.userId })
    .from(channelModerator)
    .where(and(eq(channelModerator.streamId, streamId), eq(channelModerator.userId, userId)));
  return row !== undefined;
}

/** The channel's moderators, longest-serving first. */
export function listModerators(db: Database, streamId: string) {
  return db
    .select({ userId: channelModerator.userId, username: user.username, addedAt: channelModerator.createdAt })
    .from(channelModerator)
    .innerJoin(user, eq(user.id, channelModerator.userId))
    .where(eq(channelModerator.streamId, streamId))
    .orderBy(asc(channelModerator.createdAt), asc(user.username));
}

/** Appoints (`added: true`) or removes a moderator, tells them and the team, and drops the cached team. */
export async function setModerator(
  db: Database,
  channel: Channel,
  appointedBy: { id: string; username: string },
  username: string,
  added: boolean,
) {
  const target = await findUserByUsername(db, username);
  if (target.id === channel.ownerId) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "username: the channel's creator moderates it already" });
  }
  const changed = await db.transaction(async (tx) => {
    const rows = added
      ? await tx
          .insert(channelModerator)
          .values({ streamId: channel.id, userId: target.id, createdById: appointedBy.id })
          .onConflictDoNothing()
          .returning({ userId: channelModerator.userId })
      : await tx
          .delete(channelModerator)
          .where(and(eq(channelModerator.streamId, channel.id), eq(channelModerator.userId, target.id)))
          .returning({ userId: channelModerator.userId });
    if (rows.length > 0) {
      await publishChatEvent(tx, channel.id, { type: "moderator", userId: target.id, username: target.username, added });
      const action = added ? "moderator_added" : "moderator_removed";
      await recordModeration(tx, channel.id, { actor: appointedBy, target: { id: target.id, username: target.username }, action });
    }
    return rows.length > 0;
  });
  if (changed) localChanges.emit("moderators", channel.id);
  return { username: target.username, moderator: added, changed };
}
