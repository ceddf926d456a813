import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { stream, user, type Database } from "@onair/db";

/** What the chat rules read of a channel: its owner and chat settings. */
export interface ChatChannel {
  id: string;
  ownerId: string;
  isChatEnabled: boolean;
  isChatDelayed: boolean;
  isChatFollowersOnly: boolean;
  slowModeSeconds: number;
  followersOnlyMinutes: number;
}

export interface Channel extends ChatChannel {
  username: string;
}

/** A channel's chat settings and owner, by the owner's username; NOT_FOUND when there is none. */
export async function getChannel(db: Database, username: string): Promise<Channel> {
  const [row] = await db
    .select({
      id: stream.id,
      ownerId: stream.userId,
      username: user.username,
      isChatEnabled: stream.isChatEnabled,
      isChatDelayed: stream.isChatDelayed,
      isChatFollowersOnly: stream.isChatFollowersOnly,
      slowModeSeconds: stream.slowModeSeconds,
      followersOnlyMinutes: stream.followersOnlyMinutes,
    })
    .from(stream)
    .innerJoin(user, eq(user.id, stream.userId))
    .where(eq(user.username, username));
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `No channel named "${username}"` });
  return { ...row, username: row.username ?? username };
}
