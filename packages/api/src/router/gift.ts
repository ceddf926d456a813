import { asc, desc, eq, isNull, and, sql } from "drizzle-orm";
import { z } from "zod";
import { broadcast, gift, giftTransaction, stream, user } from "@onair/db";
import { getChannel } from "../services/channels";
import { authorOf } from "../services/chat";
import { sendGift } from "../services/gifts";
import { createTRPCRouter, creatorProcedure, protectedProcedure, publicProcedure } from "../trpc";
import { storedText, usernameInput } from "../validation";

const giftView = { id: gift.id, name: gift.name, icon: gift.icon, price: gift.price };

export const giftRouter = createTRPCRouter({
  /** The gifts on offer, cheapest first. */
  catalog: publicProcedure.query(({ ctx }) => ctx.db.select(giftView).from(gift).orderBy(asc(gift.sortOrder), asc(gift.price))),

  /** Sends a gift to a live creator; the same key twice is one gift. */
  send: protectedProcedure
    .input(
      z.object({
        username: usernameInput,
        giftId: z.string().min(1).max(50),
        idempotencyKey: z.string().min(8).max(100),
        message: storedText().max(200).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const channel = await getChannel(ctx.db, input.username);
      return sendGift(ctx.db, channel, authorOf(ctx.user), { ...input, message: input.message || undefined });
    }),

  /** The caller's sent gifts, newest first. */
  sent: protectedProcedure.input(z.object({ limit: z.number().int().min(1).max(100).default(20) }).optional()).query(({ ctx, input }) =>
    ctx.db
      .select({
        id: giftTransaction.id,
        price: giftTransaction.price,
        createdAt: giftTransaction.createdAt,
        gift: giftView,
        to: user.username,
      })
      .from(giftTransaction)
      .innerJoin(gift, eq(gift.id, giftTransaction.giftId))
      .innerJoin(user, eq(user.id, giftTransaction.creatorId))
      .where(eq(giftTransaction.senderId, ctx.user.id))
      .orderBy(desc(giftTransaction.createdAt))
      .limit(input?.limit ?? 20),
  ),

  /** The creator's earnings per broadcast (newest first) and the latest gifts. */
  earnings: creatorProcedure.query(async ({ ctx }) => {
    const perBroadcast = await ctx.db
      .select({
        broadcastId: broadcast.id,
        startedAt: broadcast.startedAt,
        endedAt: broadcast.endedAt,
        peakViewers: broadcast.peakViewers,
        coins: sql<number>`coalesce(sum(${giftTransaction.price}), 0)::int`,
        gifts: sql<number>`count(${giftTransaction.id})::int`,
      })
      .from(broadcast)
      .innerJoin(stream, eq(stream.id, broadcast.streamId))
      .leftJoin(giftTransaction, eq(giftTransaction.broadcastId, broadcast.id))
      .where(eq(stream.userId, ctx.user.id))
      .groupBy(broadcast.id)
      .orderBy(desc(broadcast.startedAt))
      .limit(20);
    const latest = await ctx.db
      .select({
        id: giftTransaction.id,
        price: giftTransaction.price,
        createdAt: giftTransaction.createdAt,
        gift: giftView,
        from: user.username,
      })
      .from(giftTransaction)
      .innerJoin(gift, eq(gift.id, giftTransaction.giftId))
      .innerJoin(user, eq(user.id, giftTransaction.senderId))
      .where(eq(giftTransaction.creatorId, ctx.user.id))
      .orderBy(desc(giftTransaction.createdAt))
      .limit(20);
    return { perBroadcast, latest };
  }),

  /** Coins received in the creator's open broadcast (0 when offline): the Go Live page's running total. */
  currentTotal: creatorProcedure.query(async ({ ctx }) => {
    const [row] = await ctx.db
      .select({
        coins: sql<number>`coalesce(sum(${giftTransaction.price}), 0)::int`,
        gifts: sql<number>`count(${giftTransaction.id})::int`,
      })
      .from(broadcast)
      .innerJoin(stream, eq(stream.id, broadcast.streamId))
      .leftJoin(giftTransaction, eq(giftTransaction.broadcastId, broadcast.id))
      .where(and(eq(stream.userId, ctx.user.id), isNull(broadcast.endedAt)));
    return { coins: row?.coins ?? 0, gifts: row?.gifts ?? 0 };
  }),
});
