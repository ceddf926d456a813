import { z } from "zod";
import { getChannel } from "../services/live/channels";
import { authorOf } from "../services/chat/chat";
import { currentGiftTotal, giftEarnings, listGiftCatalog, listSentGifts, sendGift } from "../services/gifts/gifts";
import { createTRPCRouter, creatorProcedure, protectedProcedure, publicProcedure } from "../trpc";
import { storedText, usernameInput } from "../validation";

export const giftRouter = createTRPCRouter({
  /** The gifts on offer, cheapest first. */
  catalog: publicProcedure.query(({ ctx }) => listGiftCatalog(ctx.db)),

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
  sent: protectedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(100).default(20) }).optional())
    .query(({ ctx, input }) => listSentGifts(ctx.db, ctx.user.id, input?.limit ?? 20)),

  /** The creator's earnings per broadcast (newest first) and the latest gifts. */
  earnings: creatorProcedure.query(({ ctx }) => giftEarnings(ctx.db, ctx.user.id)),

  /** Coins received in the creator's open broadcast (0 when offline): the Go Live page's running total. */
  currentTotal: creatorProcedure.query(({ ctx }) => currentGiftTotal(ctx.db, ctx.user.id)),
});
