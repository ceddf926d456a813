import { TRPCError } from "@trpc/server";
import type { Database, Ingress } from "@onair/db";
import { findIngress, freshRoomName, revokeIngress, saveIngress } from "./ingress";
import { endChannelBroadcast, requireOwnStream } from "../live/live";
import { IngressError, type LiveKitIngress } from "../livekit";
import type { Services } from "../types";

/** LiveKit's refusal as the creator should read it: never a 500. */
async function askLiveKit<T>(run: () => Promise<T>, context: string): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof IngressError)) throw error;
    throw new TRPCError({ code: "PRECONDITION_FAILED", message: `${context}: ${error.message}` });
  }
}

/**
 * Deletes the ingress at LiveKit (its key stops at once), then here, then ends a broadcast it feeds.
 * False when another call replaced or deleted it meanwhile.
 */
async function removeIngress(services: Services, api: LiveKitIngress, row: Ingress, streamId: string, context: string) {
  const gone = await askLiveKit(() => revokeIngress(services.db, api, row), context);
  await endChannelBroadcast(services, streamId, "creator", "ingress");
  return gone;
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

/** The creator's ingress (server URL and stream key) with what LiveKit reports about it now (null when LiveKit can't say), or null. */
export async function findIngressKey(db: Database, api: LiveKitIngress, userId: string) {
  const row = await findIngress(db, userId);
  if (!row) return null;
  // The key and URL never wait on (or fail with) LiveKit: its answer is extra (the failure is logged by the service).
  const health = await api.health(row.ingressId).catch(() => null);
  return { ...ownView(row), health };
}

const changedMeanwhile = () =>
  new TRPCError({
    code: "CONFLICT",
    message: "Your stream key was changed at the same time from somewhere else: reload to see the current one",
  });

/** Creates the creator's ingress, or replaces it (a new key; the old one stops working at once). */
export async function createIngressKey(
  db: Database,
  services: Services,
  api: LiveKitIngress,
  owner: { id: string; username?: string | null | undefined },
  kind: Ingress["kind"],
) {
  const own = await requireOwnStream(db, owner.id);
  const before = await findIngress(db, owner.id);
  if (before && !(await removeIngress(services, api, before, own.id, "Your old stream key could not be revoked, so it still works"))) {
    throw changedMeanwhile();
  }
  const roomName = freshRoomName();
  const created = await askLiveKit(
    () => api.create(kind, { roomName, identity: owner.id, name: owner.username ?? "" }),
    before ? "Your old stream key was revoked, but LiveKit gave no new one" : "LiveKit gave no stream key",
  );
  const saved = await saveIngress(db, {
    userId: owner.id,
    ingressId: created.ingressId,
    kind,
    url: created.url,
    streamKey: created.streamKey,
    roomName,
  });
  if (!saved) {
    await api.remove(created.ingressId).catch(() => undefined); // logged by the service
    throw changedMeanwhile();
  }
  return { kind: saved.kind, url: saved.url, streamKey: saved.streamKey };
}

/** Deletes the creator's ingress at LiveKit and here; a broadcast it feeds ends. */
export async function deleteIngressKey(db: Database, services: Services, api: LiveKitIngress, userId: string) {
  const own = await requireOwnStream(db, userId);
  const row = await findIngress(db, userId);
  if (!row) return { deleted: false };
  return { deleted: await removeIngress(services, api, row, own.id, "LiveKit did not delete your ingress, so its key still works") };
}
