import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { approveCreator, listPendingCreators, withdrawApproval } from "../services/live/approval";
import { findUserByUsername } from "../services/live/creators";
import { takeChannelOffAir } from "../services/live/live";
import { grantCoins } from "../services/gifts/wallets";
import { adminProcedure, createTRPCRouter } from "../trpc";
import { byUsernameInput, storedText } from "../validation";

export const adminRouter = createTRPCRouter({
  /** Approves an application (or makes an account a creator directly) and opens its channel. */
  approveCreator: adminProcedure.input(byUsernameInput).mutation(async ({ ctx, input }) => {
    const target = await findUserByUsername(ctx.db, input.username);
    return approveCreator(ctx.db, target, ctx.user.id);
  }),

  /**
   * Refuses an application, or withdraws an approval: the creator goes off the air at once (an open
   * broadcast ends and its viewers are disconnected) and their streaming-software key is deleted at
   * LiveKit (`ingress: 'kept'` when LiveKit refused: calling again retries). See services/live/approval.ts.
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
    return takeChannelOffAir(ctx.db, ctx.services, target);
  }),

  /** Grants coins to an account, recorded with who granted them and why. */
  grantCoins: adminProcedure
    .input(byUsernameInput.extend({ amount: z.number().int().min(1).max(1_000_000), reason: storedText().min(3).max(200) }))
    .mutation(async ({ ctx, input }) => {
      const target = await findUserByUsername(ctx.db, input.username);
      const balance = await grantCoins(ctx.db, { userId: target.id, amount: input.amount, reason: input.reason, grantedById: ctx.user.id });
      return { username: target.username, balance };
    }),

  pendingCreators: adminProcedure
    .input(z.object({ limit: z.number().int().min(1).max(200).default(100) }).optional())
    .query(({ ctx, input }) => listPendingCreators(ctx.db, input?.limit ?? 100)),
});
