import { desc, eq } from "drizzle-orm";
import { wallet, walletCredit } from "@onair/db";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const walletRouter = createTRPCRouter({
  /** Coins the caller can spend, and what their channel has earned in gifts. */
  balance: protectedProcedure.query(async ({ ctx }) => {
    const [row] = await ctx.db
      .select({ balance: wallet.balance, earnings: wallet.earnings })
      .from(wallet)
      .where(eq(wallet.userId, ctx.user.id));
    return { balance: row?.balance ?? 0, earnings: row?.earnings ?? 0 };
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
