import { sql } from "drizzle-orm";
import { creatorApplication } from "@onair/db";
import { creatorStatusOf } from "../services/creators";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const creatorRouter = createTRPCRouter({
  /** Ask to become a creator. Asking again is harmless; a rejected account may ask again. */
  requestApproval: protectedProcedure.mutation(async ({ ctx }) => {
    const [row] = await ctx.db
      .insert(creatorApplication)
      .values({ userId: ctx.user.id, status: "pending" })
      .onConflictDoUpdate({
        target: creatorApplication.userId,
        set: {
          status: sql`case when ${creatorApplication.status} = 'approved' then 'approved'::creator_application_status else 'pending'::creator_application_status end`,
          updatedAt: sql`now()`,
        },
      })
      .returning({ status: creatorApplication.status });
    return { status: row?.status === "approved" ? ("approved" as const) : ("pending" as const) };
  }),

  status: protectedProcedure.query(async ({ ctx }) => ({
    status: await creatorStatusOf(ctx.db, ctx.user.id),
  })),
});
