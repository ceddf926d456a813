import { desc, eq, sql } from "drizzle-orm";
import { earningsSum, wallet, walletCredit } from "@onair/db";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const walletRouter = createTRPCRouter({
  /** Coins the caller can spend, and what their channel has earned in gifts. */
  balance: protectedProcedure.query(async ({ ctx }) => {
    // One statement: the balance and the sum of the earnings' counter rows, from one snapshot.
    const [row] = await ctx.db
      .select({ balance: sql<number>`coalesce(max(${wallet.balance}), 0)::int`, earnings: earningsSum(ctx.user.id) })
      .from(wallet)
      .where(eq(wallet.userId, ctx.user.id));
    return { balance: Number(row?.balance ?? 0), earnings: Number(row?.earnings ?? 0) };
  }),

  /** Coins that came in: the welcome grant, admins' grants and (later) purchases. */
  credits: protectedProcedure.query(({ ctx }) =>
    ctx.db
      .select({ kind: walletCredit.kind, amount: walletCredit.amount, reason: walletCredit.reason, createdAt: walletCredit.createdAt })
      .from(walletCredit)
      .where(eq(walletCredit.userId, ctx.user.id))
      .orderBy(desc(walletCredit.createdAt))
      .limit(50),
  ),
});
