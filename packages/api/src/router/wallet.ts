import { listWalletCredits, walletBalance } from "../services/gifts/wallets";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const walletRouter = createTRPCRouter({
  /** Coins the caller can spend, and what their channel has earned in gifts. */
  balance: protectedProcedure.query(({ ctx }) => walletBalance(ctx.db, ctx.user.id)),

  /** Coins that came in: the welcome grant, admins' grants and (later) purchases. */
  credits: protectedProcedure.query(({ ctx }) => listWalletCredits(ctx.db, ctx.user.id)),
});
