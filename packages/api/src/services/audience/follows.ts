import { TRPCError } from "@trpc/server";
import { and, count, desc, eq } from "drizzle-orm";
import { follow, type Database } from "@onair/db";
import { followActivity, publishActivity } from "./activity";
import { findUserByUsername } from "../live/creators";
import { publishStreamChange } from "../shared/events";
import { findStreamId } from "../live/streams";
import type { RateLimiter } from "../shared/rate-limit";

/** Who follows or unfollows: the signed-in caller. */
export interface Follower {
  id: string;
  username?: string | null | undefined;
}

/** The channel behind `username` (follows are of channels, not of any account). */
async function followTarget(db: Database, username: string, followerId: string) {
  const target = await findUserByUsername(db, username);
  if (!(await findStreamId(db, target.id))) throw new TRPCError({ code: "NOT_FOUND", message: `No channel named "${username}"` });
  if (target.id === followerId) throw new TRPCError({ code: "BAD_REQUEST", message: "username: you cannot follow yourself" });
  return target;
}

async function followerCount(db: Database, userId: string) {
  const [row] = await db.select({ n: count() }).from(follow).where(eq(follow.followingId, userId));
  return row?.n ?? 0;
}

/** Follows `username`'s channel: twice is harmless; limited per user (TOO_MANY_REQUESTS). */
export async function followChannel(db: Database, limit: RateLimiter, follower: Follower, username: string) {
  const target = await followTarget(db, username, follower.id);
  limit.take(follower.id, "follows and unfollows");
  const [added] = await db
    .insert(follow)
    .values({ followerId: follower.id, followingId: target.id })
    .onConflictDoNothing()
    .returning({ at: follow.createdAt });
  if (added) {
    await publishStreamChange(db, target.username);
    await publishActivity(db, target.id, followActivity(follower.id, follower.username ?? "", added.at));
  }
  return { following: true, followerCount: await followerCount(db, target.id) };
}

/** Unfollows `username`'s channel: limited per user together with follows. */
export async function unfollowChannel(db: Database, limit: RateLimiter, follower: Follower, username: string) {
  const target = await followTarget(db, username, follower.id);
  limit.take(follower.id, "follows and unfollows");
  const removed = await db
    .delete(follow)
    .where(and(eq(follow.followerId, follower.id), eq(follow.followingId, target.id)))
    .returning({ at: follow.createdAt });
  if (removed.length > 0) await publishStreamChange(db, target.username);
  return { following: false, followerCount: await followerCount(db, target.id) };
}

/** Whether `followerId` follows `username`, since when, and the follow's alert settings (null when not following). */
export async function followStatus(db: Database, followerId: string, username: string) {
  const target = await findUserByUsername(db, username);
  const [row] = await db
    .select({ since: follow.createdAt, inApp: follow.alertInApp, email: follow.alertEmail })
    .from(follow)
    .where(and(eq(follow.followerId, followerId), eq(follow.followingId, target.id)))
    .orderBy(desc(follow.createdAt));
  return { following: Boolean(row), since: row?.since ?? null, alerts: row ? { inApp: row.inApp, email: row.email } : null };
}

/** Sets the go-live alerts of a follow (in the bell, by mail): FORBIDDEN when not following. */
export async function setFollowAlerts(db: Database, followerId: string, username: string, alerts: { inApp: boolean; email: boolean }) {
  const target = await findUserByUsername(db, username);
  const [row] = await db
    .update(follow)
    .set({ alertInApp: alerts.inApp, alertEmail: alerts.email })
    .where(and(eq(follow.followerId, followerId), eq(follow.followingId, target.id)))
    .returning({ inApp: follow.alertInApp, email: follow.alertEmail });
  if (!row) throw new TRPCError({ code: "FORBIDDEN", message: `Follow ${target.username} first: alerts belong to a follow` });
  return row;
}
