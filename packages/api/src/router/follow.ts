import { TRPCError } from "@trpc/server";
import { and, count, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { follow, stream } from "@onair/db";
import { findUserByUsername } from "../services/creators";
import { followActivity, publishActivity } from "../services/activity";
import { publishStreamChange } from "../services/events";
import { listFollowedStreams } from "../services/streams";
import { createTRPCRouter, protectedProcedure } from "../trpc";
import { byUsernameInput } from "../validation";

const setAlertsInput = byUsernameInput.extend({ inApp: z.boolean(), email: z.boolean() });

/** The channel behind `username` (follows are of channels, not of any account). */
async function followTarget(db: Parameters<typeof findUserByUsername>[0], username: string, followerId: string) {
  const target = await findUserByUsername(db, username);
  const [channel] = await db.select({ id: stream.id }).from(stream).where(eq(stream.userId, target.id));
  if (!channel) throw new TRPCError({ code: "NOT_FOUND", message: `No channel named "${username}"` });
  if (target.id === followerId) throw new TRPCError({ code: "BAD_REQUEST", message: "username: you cannot follow yourself" });
  return target;
}

async function followerCount(db: Parameters<typeof findUserByUsername>[0], userId: string) {
  const [row] = await db.select({ n: count() }).from(follow).where(eq(follow.followingId, userId));
  return row?.n ?? 0;
}

export const followRouter = createTRPCRouter({
  /** Following twice is harmless; follows and unfollows are limited per user (TOO_MANY_REQUESTS). */
  follow: protectedProcedure.input(byUsernameInput).mutation(async ({ ctx, input }) => {
    const target = await followTarget(ctx.db, input.username, ctx.user.id);
    ctx.services.limits.follow.take(ctx.user.id, "follows and unfollows");
    const [added] = await ctx.db
      .insert(follow)
      .values({ followerId: ctx.user.id, followingId: target.id })
      .onConflictDoNothing()
      .returning({ at: follow.createdAt });
    if (added) {
      await publishStreamChange(ctx.db, target.username);
      await publishActivity(ctx.db, target.id, followActivity(ctx.user.id, ctx.user.username ?? "", added.at));
    }
    return { following: true, followerCount: await followerCount(ctx.db, target.id) };
  }),

  unfollow: protectedProcedure.input(byUsernameInput).mutation(async ({ ctx, input }) => {
    const target = await followTarget(ctx.db, input.username, ctx.user.id);
    ctx.services.limits.follow.take(ctx.user.id, "follows and unfollows");
    const removed = await ctx.db
      .delete(follow)
      .where(and(eq(follow.followerId, ctx.user.id), eq(follow.followingId, target.id)))
      .returning({ at: follow.createdAt });
    if (removed.length > 0) await publishStreamChange(ctx.db, target.username);
    return { following: false, followerCount: await followerCount(ctx.db, target.id) };
  }),

  /** Whether the caller follows `username`, since when, and the follow's alert settings (null when not following). */
  status: protectedProcedure.input(byUsernameInput).query(async ({ ctx, input }) => {
    const target = await findUserByUsername(ctx.db, input.username);
    const [row] = await ctx.db
      .select({ since: follow.createdAt, inApp: follow.alertInApp, email: follow.alertEmail })
      .from(follow)
      .where(and(eq(follow.followerId, ctx.user.id), eq(follow.followingId, target.id)))
      .orderBy(desc(follow.createdAt));
    return { following: Boolean(row), since: row?.since ?? null, alerts: row ? { inApp: row.inApp, email: row.email } : null };
  }),

  /** The go-live alerts of the caller's follow of `username` (in the bell, by mail): only while following. */
  setAlerts: protectedProcedure.input(setAlertsInput).mutation(async ({ ctx, input }) => {
    const target = await findUserByUsername(ctx.db, input.username);
    const [row] = await ctx.db
      .update(follow)
      .set({ alertInApp: input.inApp, alertEmail: input.email })
      .where(and(eq(follow.followerId, ctx.user.id), eq(follow.followingId, target.id)))
      .returning({ inApp: follow.alertInApp, email: follow.alertEmail });
    if (!row) throw new TRPCError({ code: "FORBIDDEN", message: `Follow ${target.username} first: alerts belong to a follow` });
    return row;
  }),

  /** The channels the caller follows: live ones first (most viewers first), then by name. */
  following: protectedProcedure.query(({ ctx }) => listFollowedStreams(ctx.db, ctx.user.id)),
});
