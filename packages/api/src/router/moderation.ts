import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { channelRestriction, user } from "@onair/db";
import { deleteMessage, liftRestriction, restrictUser } from "../services/moderation";
import { channelModeratorProcedure, createTRPCRouter } from "../trpc";
import { usernameInput } from "../validation";

const target = z.object({ username: usernameInput });

/** The channel's creator (or an admin) keeps its chat and audience in order. */
export const moderationRouter = createTRPCRouter({
  deleteMessage: channelModeratorProcedure
    .input(z.object({ messageId: z.number().int().positive() }))
    .mutation(({ ctx, input }) => deleteMessage(ctx.db, ctx.channel, ctx.user.id, input.messageId)),

  timeout: channelModeratorProcedure
    .input(target.extend({ minutes: z.number().int().min(1).max(10_080).default(10) }))
    .mutation(({ ctx, input }) => restrictUser(ctx.db, ctx.channel, ctx.user.id, { ...input, kind: "timeout" })),

  ban: channelModeratorProcedure
    .input(target)
    .mutation(({ ctx, input }) => restrictUser(ctx.db, ctx.channel, ctx.user.id, { ...input, kind: "ban" })),

  /** Refuses the user's viewer token as well as their chat. */
  block: channelModeratorProcedure
    .input(target)
    .mutation(({ ctx, input }) => restrictUser(ctx.db, ctx.channel, ctx.user.id, { ...input, kind: "block" })),

  /** Lifts a timeout, ban or block. */
  unban: channelModeratorProcedure
    .input(target)
    .mutation(({ ctx, input }) => liftRestriction(ctx.db, ctx.channel, input.username)),

  /** Restrictions in force, oldest first. */
  list: channelModeratorProcedure.query(({ ctx }) =>
    ctx.db
      .select({
        username: user.username,
        kind: channelRestriction.kind,
        until: channelRestriction.until,
        createdAt: channelRestriction.createdAt,
      })
      .from(channelRestriction)
      .innerJoin(user, eq(user.id, channelRestriction.userId))
      .where(
        sql`${channelRestriction.streamId} = ${ctx.channel.id} and (${channelRestriction.until} is null or ${channelRestriction.until} > now())`,
      )
      .orderBy(asc(channelRestriction.createdAt)),
  ),
});
