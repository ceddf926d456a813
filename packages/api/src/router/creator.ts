import { requestCreatorApproval } from "../services/live/approval";
import { creatorStatusOf } from "../services/live/creators";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const creatorRouter = createTRPCRouter({
  /** Ask to become a creator. Asking again is harmless; a rejected account may ask again. */
  requestApproval: protectedProcedure.mutation(({ ctx }) => requestCreatorApproval(ctx.db, ctx.user.id)),

  status: protectedProcedure.query(async ({ ctx }) => ({
    status: await creatorStatusOf(ctx.db, ctx.user.id),
  })),
});
