import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { broadcast, ingress, stream, user, type Database, type Ingress } from "@onair/db";
import type { RoomServices } from "../shared/room-services";
import type { LiveKitIngress } from "../livekit";

/**
 * A creator's streaming-software ingress. The ingress joins the room `broadcast-<id>` of the broadcast
 * it opens: a fresh id is picked when it is created and again after each of its broadcasts ends (LiveKit
 * lets an ingress change rooms only while nothing is connected to it), so every broadcast keeps a room
 * of its own and a late event from an older one names a room that is no longer open.
 */
export const freshRoomName = () => `broadcast-${randomUUID()}`;

/** The broadcast id in `broadcast-<uuid>`, or null. */
export function broadcastIdOf(roomName: string): string | null {
  return /^broadcast-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(roomName)?.[1] ?? null;
}

export async function findIngress(db: Database, userId: string): Promise<Ingress | null> {
  const [row] = await db.select().from(ingress).where(eq(ingress.userId, userId));
  return row ?? null;
}

/** Saves a new ingress; null when the user already has one (another call saved it meanwhile). */
export async function saveIngress(
  db: Database,
  values: Pick<Ingress, "userId" | "ingressId" | "kind" | "url" | "streamKey" | "roomName">,
): Promise<Ingress | null> {
  const [saved] = await db.insert(ingress).values(values).onConflictDoNothing().returning();
  return saved ?? null;
}

/**
 * Deletes the ingress at LiveKit (its key stops working at once), then here. LiveKit's refusal is
 * thrown (an IngressError) and the row stays, so the ingress's webhooks are still recognised. False
 * when another call replaced or deleted the row meanwhile.
 */
export async function revokeIngress(db: Database, api: LiveKitIngress, row: Pick<Ingress, "userId" | "ingressId">): Promise<boolean> {
  await api.remove(row.ingressId);
  const gone = await db
    .delete(ingress)
    .where(and(eq(ingress.userId, row.userId), eq(ingress.ingressId, row.ingressId)))
    .returning({ ingressId: ingress.ingressId });
  return gone.length > 0;
}

/**
 * After one of its broadcasts ended: points the stream's ingress at a fresh room, unless its room is
 * still unused or open. Fails quietly (logged) while software is still connected; the next
 * `ingress_ended` tries again.
 */
export async function moveIngressToFreshRoom(services: Pick<RoomServices, "db" | "ingress">, streamId: string): Promise<boolean> {
  if (!services.ingress) return false;
  const [row] = await services.db
    .select({ ingressId: ingress.ingressId, roomName: ingress.roomName, userId: ingress.userId, username: user.username })
    .from(ingress)
    .innerJoin(stream, eq(stream.userId, ingress.userId))
    .innerJoin(user, eq(user.id, ingress.userId))
    .where(eq(stream.id, streamId));
  if (!row) return false;
  const [used] = await services.db.select({ endedAt: broadcast.endedAt }).from(broadcast).where(eq(broadcast.roomName, row.roomName));
  if (!used?.endedAt) return false;
  const roomName = freshRoomName();
  try {
    await services.ingress.moveToRoom(row.ingressId, { roomName, identity: row.userId, name: row.username ?? "" });
  } catch {
    return false; // logged by the LiveKit service
  }
  await services.db
    .update(ingress)
    .set({ roomName })
    .where(and(eq(ingress.ingressId, row.ingressId), eq(ingress.roomName, row.roomName)));
  return true;
}
