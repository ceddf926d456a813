import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { broadcast, ingress, type Ingress } from "@onair/db";
import { endAndCloseRooms } from "../services/broadcasts";
import { findIngress, freshRoomName, revokeIngress } from "../services/ingress";
import { IngressError, type LiveKitIngress } from "../services/livekit";
import { requireOwnStream } from "../services/live";
import type { Services } from "../services";
import { createTRPCRouter, creatorProcedure, publicProcedure } from "../trpc";

/** An approved creator on a server with ingress on (`INGRESS=off` refuses, naming the switch). */
const ingressProcedure = creatorProcedure.use(({ ctx, next }) => {
  const api = ctx.services.ingress;
  if (!api) {
    throw new TRPCError({ code: "NOT_FOUND", message: "Streaming software (OBS, RTMP, WHIP) is turned off on this server (INGRESS=off)" });
  }
  return next({ ctx: { ingressApi: api } });
});

/** LiveKit's refusal as the creator should read it: never a 500. */
async function askLiveKit<T>(run: () => Promise<T>, context: string): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof IngressError)) throw error;
    throw new TRPCError({ code: "PRECONDITION_FAILED", message: `${context}: ${error.message}` });
  }
}

/** The creator's own view: the only answer that ever carries the stream key. */
const ownView = (row: Ingress) => ({
  kind: row.kind,
  url: row.url,
  streamKey: row.streamKey,
  createdAt: row.createdAt,
  /** Software last connected while a browser broadcast was open, and was turned away. */
  refusedAt: row.refusedAt,
});

/**
 * Deletes the ingress at LiveKit (its key stops at once), then here, then ends a broadcast it feeds.
 * False when another call replaced or deleted it meanwhile.
 */
async function removeIngress(services: Services, api: LiveKitIngress, row: Ingress, streamId: string, context: string) {
  const gone = await askLiveKit(() => revokeIngress(services.db, api, row), context);
  await endAndCloseRooms(services, and(eq(broadcast.streamId, streamId), eq(broadcast.mode, "ingress"))!, "creator");
  return gone;
}

const changedMeanwhile = () =>
  new TRPCError({
    code: "CONFLICT",
    message: "Your stream key was changed at the same time from somewhere else: reload to see the current one",
  });

export const ingressRouter = createTRPCRouter({
  /** Whether this server offers streaming software at all (the dashboard hides the page when not). */
  available: publicProcedure.query(({ ctx }) => ctx.services.ingress !== null),

  /**
   * The caller's ingress (server URL and stream key), or null; with `health`, what LiveKit reports about it
   * now (waiting for the software / receiving / live, and the incoming video), null when LiveKit can't say.
   */
  get: ingressProcedure.query(async ({ ctx }) => {
    const row = await findIngress(ctx.db, ctx.user.id);
    if (!row) return null;
    // The key and URL never wait on (or fail with) LiveKit: its answer is extra (the failure is logged by the service).
    const health = await ctx.ingressApi.health(row.ingressId).catch(() => null);
    return { ...ownView(row), health };
  }),

  /** Creates the caller's ingress, or replaces it (a new key; the old one stops working at once). */
  create: ingressProcedure.input(z.object({ kind: z.enum(["rtmp", "whip"]) })).mutation(async ({ ctx, input }) => {
    const own = await requireOwnStream(ctx.db, ctx.user.id);
    const before = await findIngress(ctx.db, ctx.user.id);
    if (
      before &&
      !(await removeIngress(ctx.services, ctx.ingressApi, before, own.id, "Your old stream key could not be revoked, so it still works"))
    ) {
      throw changedMeanwhile();
    }
    const roomName = freshRoomName();
    const created = await askLiveKit(
      () => ctx.ingressApi.create(input.kind, { roomName, identity: ctx.user.id, name: ctx.user.username ?? "" }),
      before ? "Your old stream key was revoked, but LiveKit gave no new one" : "LiveKit gave no stream key",
    );
    const [saved] = await ctx.db
      .insert(ingress)
      .values({
        userId: ctx.user.id,
        ingressId: created.ingressId,
        kind: input.kind,
        url: created.url,
        streamKey: created.streamKey,
        roomName,
      })
      .onConflictDoNothing()
      .returning();
    if (!saved) {
      await ctx.ingressApi.remove(created.ingressId).catch(() => undefined); // logged by the service
      throw changedMeanwhile();
    }
    return { kind: saved.kind, url: saved.url, streamKey: saved.streamKey };
  }),

  /** Deletes the caller's ingress at LiveKit and here; a broadcast it feeds ends. */
  delete: ingressProcedure.mutation(async ({ ctx }) => {
    const own = await requireOwnStream(ctx.db, ctx.user.id);
    const row = await findIngress(ctx.db, ctx.user.id);
    if (!row) return { deleted: false };
    return {
      deleted: await removeIngress(
        ctx.services,
        ctx.ingressApi,
        row,
        own.id,
        "LiveKit did not delete your ingress, so its key still works",
      ),
    };
  }),
});
