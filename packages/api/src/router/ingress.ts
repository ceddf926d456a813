import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { createIngressKey, deleteIngressKey, findIngressKey } from "../services/ingress/ingress-keys";
import { createTRPCRouter, creatorProcedure, publicProcedure } from "../trpc";

/** An approved creator on a server with ingress on (`INGRESS=off` refuses, naming the switch). */
const ingressProcedure = creatorProcedure.use(({ ctx, next }) => {
  const api = ctx.services.ingress;
  if (!api) {
    throw new TRPCError({ code: "NOT_FOUND", message: "Streaming software (OBS, RTMP, WHIP) is turned off on this server (INGRESS=off)" });
  }
  return next({ ctx: { ingressApi: api } });
});

export const ingressRouter = createTRPCRouter({
  /** Whether this server offers streaming software at all (the dashboard hides the page when not). */
  available: publicProcedure.query(({ ctx }) => ctx.services.ingress !== null),

  /**
   * The caller's ingress (server URL and stream key), or null; with `health`, what LiveKit reports about it
   * now (waiting for the software / receiving / live, and the incoming video), null when LiveKit can't say.
   */
  get: ingressProcedure.query(({ ctx }) => findIngressKey(ctx.db, ctx.ingressApi, ctx.user.id)),

  /** Creates the caller's ingress, or replaces it (a new key; the old one stops working at once). */
  create: ingressProcedure
    .input(z.object({ kind: z.enum(["rtmp", "whip"]) }))
    .mutation(({ ctx, input }) => createIngressKey(ctx.db, ctx.services, ctx.ingressApi, ctx.user, input.kind)),

  /** Deletes the caller's ingress at LiveKit and here; a broadcast it feeds ends. */
  delete: ingressProcedure.mutation(({ ctx }) => deleteIngressKey(ctx.db, ctx.services, ctx.ingressApi, ctx.user.id)),
});
