import { creatorStatusOf } from "../services/live/creators";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const accountRouter = createTRPCRouter({
  /** Who the caller is, with what they may do: drives the web app's navigation. */
  me: protectedProcedure.query(async ({ ctx }) => ({
    id: ctx.user.id,
    email: ctx.user.email,
    name: ctx.user.name,
    username: ctx.user.username ?? "",
    role: ctx.user.role === "admin" ? ("admin" as const) : ("user" as const),
    creatorStatus: await creatorStatusOf(ctx.db, ctx.user.id),
  })),
});
