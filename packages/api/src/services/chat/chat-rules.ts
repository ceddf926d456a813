import { TRPCError } from "@trpc/server";
import { and, eq, inArray, sql } from "drizzle-orm";
import { channelRestriction, follow, type Database } from "@onair/db";
import type { ChatChannel } from "../live/channels";
import type { ChatAuthor } from "./chat";

/**
 * The chat rules: who may send in a channel now (chat off, restrictions, followers-only), how far apart
 * (slow mode, the minimum gap) and the refusals' words. Read by sends, by `chat.permission` and by
 * the moderator procedures.
 */

/** Without slow mode, one user may still send at most one message per this many seconds. */
export const MIN_SECONDS_BETWEEN_MESSAGES = 0.5;

/** Why a send is refused with TOO_MANY_REQUESTS, and when to try again (the error's cause). */
export class RetryAfter extends Error {
  constructor(readonly seconds: number) {
    super(`retry after ${seconds} s`);
  }
}

const time = (date: Date) => date.toISOString().slice(11, 16) + " UTC";

/** "45 s", "9 min", "3 h 20 min": what is left until `until`, rounded up. */
export function timeLeft(until: Date, now = new Date()): string {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

const stillActive = sql`(${channelRestriction.until} is null or ${channelRestriction.until} > now())`;

/** The channel's restriction of `userId` in force now, if any. */
export async function activeRestriction(db: Database, streamId: string, userId: string) {
  const [row] = await db
    .select({ kind: channelRestriction.kind, until: channelRestriction.until })
    .from(channelRestriction)
    .where(and(eq(channelRestriction.streamId, streamId), eq(channelRestriction.userId, userId), stillActive));
  return row ?? null;
}

/** The channel's restrictions in force now of those of `userIds` who have one. */
export async function restrictionsOf(db: Database, streamId: string, userIds: string[]) {
  const rows = await db
    .select({ userId: channelRestriction.userId, kind: channelRestriction.kind, until: channelRestriction.until })
    .from(channelRestriction)
    .where(and(eq(channelRestriction.streamId, streamId), inArray(channelRestriction.userId, userIds), stillActive));
  return new Map(rows.map(({ userId, ...restriction }) => [userId, restriction]));
}

/** A channel's active restrictions, at most `limit`. */
export function activeRestrictions(db: Database, streamId: string, limit: number) {
  return db
    .select({ userId: channelRestriction.userId, kind: channelRestriction.kind, until: channelRestriction.until })
    .from(channelRestriction)
    .where(and(eq(channelRestriction.streamId, streamId), stillActive))
    .limit(limit);
}

const isExempt = (channel: ChatChannel, sender: Pick<ChatAuthor, "id" | "role">) =>
  sender.id === channel.ownerId || sender.role === "admin";

/**
 * Why `sender` may not send in this channel now (chat off, restricted, followers-only), or null.
 * Slow mode is not a refusal here: it only spaces messages out.
 */
export async function chatRefusal(
  db: Database,
  channel: ChatChannel,
  sender: Pick<ChatAuthor, "id" | "role">,
  /** The sender's restriction when the caller has looked it up already (`activeRestriction`). */
  known?: Awaited<ReturnType<typeof activeRestriction>>,
) {
  if (!channel.isChatEnabled) return "Chat is turned off for this channel";
  const restriction = known !== undefined ? known : await activeRestriction(db, channel.id, sender.id);
  if (restriction?.kind === "block") return "The creator has blocked you from this channel";
  if (restriction?.kind === "timeout" && restriction.until) {
    return `You are timed out in this chat until ${time(restriction.until)} (${timeLeft(restriction.until)} left)`;
  }
  if (restriction) return "You are banned from this chat";
  if (channel.isChatFollowersOnly && !isExempt(channel, sender)) {
    const [followed] = await db
      .select({ since: follow.createdAt })
      .from(follow)
      .where(and(eq(follow.followerId, sender.id), eq(follow.followingId, channel.ownerId)));
    if (!followed) return "Chat is for followers only: follow to chat";
    const allowedAt = new Date(followed.since.getTime() + channel.followersOnlyMinutes * 60_000);
    if (allowedAt > new Date()) {
      return `Chat is for followers of at least ${channel.followersOnlyMinutes} min: you can chat from ${time(allowedAt)}`;
    }
  }
  return null;
}

/** The sender's gap between messages in this channel (s), and whether it is slow mode's. */
export const gapOf = (channel: ChatChannel, sender: Pick<ChatAuthor, "id" | "role">) => {
  const slow = channel.isChatDelayed && !isExempt(channel, sender);
  return { slow, gap: slow ? channel.slowModeSeconds : MIN_SECONDS_BETWEEN_MESSAGES };
};

/** TOO_MANY_REQUESTS: the sender's next slot is `wait` seconds away (rounded up, at least 1). */
export function slowDown(slow: boolean, wait: number): TRPCError {
  const seconds = Math.max(1, Math.ceil(wait));
  const what = slow ? `Slow mode is on: wait ${seconds} s` : `Slow down: wait ${seconds} s`;
  return new TRPCError({ code: "TOO_MANY_REQUESTS", message: what, cause: new RetryAfter(seconds) });
}

/**
 * Why an appointed moderator may not moderate the channel now, or null: timed out, banned or blocked
 * in it themself (by its creator or an admin; a moderator restricts no fellow moderator).
 */
export async function moderationSuspended(db: Database, streamId: string, userId: string): Promise<string | null> {
  const restriction = await activeRestriction(db, streamId, userId);
  if (!restriction) return null;
  if (restriction.kind === "timeout") return "You are timed out in this channel, so you cannot moderate it until the timeout ends";
  const kind = restriction.kind === "ban" ? "banned" : "blocked";
  return `You are ${kind} from this channel, so you cannot moderate it until the creator lifts that`;
}
