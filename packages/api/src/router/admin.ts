import { TRPCError } from "@trpc/server";
import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { broadcast, creatorApplication, creditWallet, stream, user } from "@onair/db";
import { withdrawApproval } from "../services/approval";
import { endAndCloseRooms } from "../services/broadcasts";
import { findUserByUsername } from "../services/creators";
import { ensureStream } from "../services/streams";
import { adminProcedure, createTRPCRouter } from "../trpc";
import { byUsernameInput, storedText } from "../validation";

export const adminRouter = createTRPCRouter({
  /** Approves an application (or makes an account a creator directly) and opens its channel. */
  approveCreator: adminProcedure.input(byUsernameInput).mutation(async ({ ctx, input }) => {
    const target = await findUserByUsername(ctx.db, input.username);
    const review = { status: "approved" as const, reviewedById: ctx.user.id, reviewedAt: new Date() };
    await ctx.db.transaction(async (tx) => {
      await tx
        .insert(creatorApplication)
        .values({ userId: target.id, ...review })
        .onConflictDoUpdate({ target: creatorApplication.userId, set: { ...review, updatedAt: sql`now()` } });
      await ensureStream(tx, target.id, target.username);
    });
    return { status: "approved" as const };
  }),

  /**
   * Refuses an application, or withdraws an approval: the creator goes off the air at once (an open
   * broadcast ends and its viewers are disconnected) and their streaming-software key is deleted at
   * LiveKit (`ingress: 'kept'` when LiveKit refused: calling again retries). See services/approval.ts.
   */
  rejectCreator: adminProcedure.input(byUsernameInput).mutation(async ({ ctx, input }) => {
    const target = await findUserByUsername(ctx.db, input.username);
    const withdrawn = await withdrawApproval(ctx.services, target.id, ctx.user.id);
    if (!withdrawn) throw new TRPCError({ code: "NOT_FOUND", message: `${target.username} has not applied` });
    return withdrawn;
  }),

  /** Takes a channel off the air (moderation). */
  endStream: adminProcedure.input(byUsernameInput).mutation(async ({ ctx, input }) => {
    const target = await findUserByUsername(ctx.db, input.username);
    const [own] = await ctx.db.select({ id: stream.id }).from(stream).where(eq(stream.userId, target.id));
    if (!own) throw new TRPCError({ code: "NOT_FOUND", message: `${target.username} has no channel` });
    const ended = await endAndCloseRooms(ctx.services, eq(broadcast.streamId, own.id), "admin");
    return { ended: ended.length > 0 };
  }),

  /** Grants coins to an account, recorded with who granted them and why. */
  grantCoins: adminProcedure
    .input(byUsernameInput.extend({ amount: z.number().int().min(1).max(1_000_000), reason: storedText().min(3).max(200) }))
    .mutation(async ({ ctx, input }) => {
      const target = await findUserByUsername(ctx.db, input.username);
      const balance = await creditWallet(ctx.db, {
        userId: target.id,
        kind: "admin",
        amount: input.amount,
        reason: input.reason,
        grantedById: ctx.user.id,
      });
      return { username: target.username, balance: balance ?? 0 };
    }),

  pendingCreators: adminProcedure
    .input(z.object({ limit: z.number().int().min(1).max(200).default(100) }).optional())
    .query(({ ctx, input }) =>
      ctx.db
        .select({
          username: user.username,
          name: user.name,
          email: user.email,
          requestedAt: creatorApplication.updatedAt,
        })
        .from(creatorApplication)
        .innerJoin(user, eq(user.id, creatorApplication.userId))
        .where(eq(creatorApplication.status, "pending"))
        .orderBy(asc(creatorApplication.updatedAt))
        .limit(input?.limit ?? 100),
    ),
});
