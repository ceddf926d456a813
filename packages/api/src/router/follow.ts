import { z } from "zod";
import { followChannel, followStatus, setFollowAlerts, unfollowChannel } from "../services/audience/follows";
import { listFollowedStreams } from "../services/live/streams";
import { createTRPCRouter, protectedProcedure } from "../trpc";
import { byUsernameInput } from "../validation";

const setAlertsInput = byUsernameInput.extend({ inApp: z.boolean(), email: z.boolean() });

export const followRouter = createTRPCRouter({
  /** Following twice is harmless; follows and unfollows are limited per user (TOO_MANY_REQUESTS). */
  follow: protectedProcedure
    .input(byUsernameInput)
    .mutation(({ ctx, input }) => followChannel(ctx.db, ctx.services.limits.follow, ctx.user, input.username)),

  unfollow: protectedProcedure
    .input(byUsernameInput)
    .mutation(({ ctx, input }) => unfollowChannel(ctx.db, ctx.services.limits.follow, ctx.user, input.username)),

  /** Whether the caller follows `username`, since when, and the follow's alert settings (null when not following). */
  status: protectedProcedure.input(byUsernameInput).query(({ ctx, input }) => followStatus(ctx.db, ctx.user.id, input.username)),

  /** The go-live alerts of the caller's follow of `username` (in the bell, by mail): only while following. */
  setAlerts: protectedProcedure
    .input(setAlertsInput)
    .mutation(({ ctx, input }) => setFollowAlerts(ctx.db, ctx.user.id, input.username, { inApp: input.inApp, email: input.email })),

  /** The channels the caller follows: live ones first (most viewers first), then by name. */
  following: protectedProcedure.query(({ ctx }) => listFollowedStreams(ctx.db, ctx.user.id)),
});
