import { TRPCError } from "@trpc/server";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { stream } from "@onair/db";
import {
  ensureStream,
  findStreamByUserId,
  getPublicStream,
  listLiveStreams,
} from "../services/streams";
import { createTRPCRouter, creatorProcedure, publicProcedure } from "../trpc";
import { byUsernameInput } from "../validation";

const httpUrl = z
  .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
  .max(2048);

const streamDetails = z.object({
  title: z.string().trim().min(1, "is required").max(140),
  description: z.string().trim().max(2000).optional(),
  thumbnail: z.union([httpUrl, z.literal("")]).optional(),
});

const chatSettings = z
  .object({
    isChatEnabled: z.boolean().optional(),
    isChatDelayed: z.boolean().optional(),
    isChatFollowersOnly: z.boolean().optional(),
    slowModeSeconds: z.number().int().min(2).max(300).optional(),
  })
  .refine((value) => Object.values(value).some((v) => v !== undefined), "name at least one setting");

export const streamRouter = createTRPCRouter({
  mine: creatorProcedure.query(({ ctx }) => findStreamByUserId(ctx.db, ctx.user.id)),

  /** Sets the channel's title, description and thumbnail (the seed's createStream). */
  upsert: creatorProcedure.input(streamDetails).mutation(async ({ ctx, input }) => {
    const values = {
      title: input.title,
      description: input.description || null,
      thumbnail: input.thumbnail || null,
    };
    await ctx.db
      .insert(stream)
      .values({ userId: ctx.user.id, ...values })
      .onConflictDoUpdate({ target: stream.userId, set: { ...values, updatedAt: sql`now()` } });
    return (await findStreamByUserId(ctx.db, ctx.user.id))!;
  }),

  updateChatSettings: creatorProcedure.input(chatSettings).mutation(async ({ ctx, input }) => {
    await ensureStream(ctx.db, ctx.user.id, ctx.user.username ?? ctx.user.name);
    await ctx.db
      .update(stream)
      .set({ ...input, updatedAt: sql`now()` })
      .where(eq(stream.userId, ctx.user.id));
    const mine = await findStreamByUserId(ctx.db, ctx.user.id);
    if (!mine) throw new TRPCError({ code: "NOT_FOUND", message: "You have no channel yet" });
    return mine;
  }),

  byUsername: publicProcedure.input(byUsernameInput).query(({ ctx, input }) => getPublicStream(ctx.db, input.username)),

  live: publicProcedure
    .input(
      z
        .object({
          cursor: z.number().int().min(0).nullish(),
          limit: z.number().int().min(1).max(100).default(24),
          query: z.string().trim().max(100).optional(),
        })
        .optional(),
    )
    .query(({ ctx, input }) =>
      listLiveStreams(ctx.db, {
        cursor: input?.cursor ?? undefined,
        limit: input?.limit ?? 24,
        query: input?.query || undefined,
      }),
    ),
});
