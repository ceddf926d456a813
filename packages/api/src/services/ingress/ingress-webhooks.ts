import { eq, sql } from "drizzle-orm";
import type { WebhookEvent } from "livekit-server-sdk";
import { broadcast, ingress, stream, user } from "@onair/db";
import { markCreatorLeft, openBroadcast } from "../live/broadcasts";
import { mayGoLive } from "../live/creators";
import { broadcastIdOf, moveIngressToFreshRoom } from "./ingress";
import type { Services } from "../types";
import { recordWebhookEvent, type WebhookOutcome } from "./webhook-events";

type Afterwards = { outcome: WebhookOutcome; kick?: { roomName: string; identity: string }; moveRoom?: string };

/**
 * LiveKit's `ingress_started` / `ingress_ended` for a creator's ingress, applied once (the event id is
 * recorded with its effect):
 * - started, for an owner who may not go live (approval withdrawn, or pending): refused, nothing is
 *   opened, and the ingress's participant is removed;
 * - started, in the fresh room the ingress was given: opens a broadcast (`mode: 'ingress'`) with that
 *   room, as `stream.goLive` does; in the room of its open broadcast: resumes it (a reconnect within the
 *   grace); while a browser broadcast is open, or in the room of an ended broadcast: refused, and the
 *   ingress's participant is removed.
 * - ended, for its open broadcast: ends it after the grace unless software reconnects; for an older
 *   broadcast: stale (ignored), but the ingress is moved to a fresh room if it still names an ended one.
 * LiveKit calls happen after the transaction commits.
 */
export async function applyIngressWebhook(
  services: Pick<Services, "db" | "rooms" | "ingress">,
  event: WebhookEvent,
): Promise<WebhookOutcome> {
  const info = event.ingressInfo;
  const roomName = info?.roomName ?? "";
  const after = await services.db.transaction(async (tx): Promise<Afterwards> => {
    if (!(await recordWebhookEvent(tx, event, roomName))) return { outcome: "duplicate" };
    const broadcastId = broadcastIdOf(roomName);
    if (!services.ingress || !info?.ingressId || !broadcastId) return { outcome: "ignored" };

    const [own] = await tx
      .select({ userId: ingress.userId, streamId: stream.id, username: user.username })
      .from(ingress)
      .innerJoin(stream, eq(stream.userId, ingress.userId))
      .innerJoin(user, eq(user.id, ingress.userId))
      .where(eq(ingress.ingressId, info.ingressId));
    if (!own) return { outcome: "ignored" };
    const [same] = await tx.select().from(broadcast).where(eq(broadcast.id, broadcastId));
    const kick = { roomName, identity: own.userId };

    switch (event.event) {
      case "ingress_started": {
        // Share-locked until this commits: a withdrawal of approval waits, then ends what this opens.
        if (!(await mayGoLive(tx, own.userId, { lock: true }))) return { outcome: "refused", kick };
        if (same?.endedAt || (same && same.streamId !== own.streamId)) return { outcome: "stale", kick };
        const open = await openBroadcast(tx, own.streamId, own.username ?? "", { id: broadcastId, mode: "ingress" });
        if (open.id !== broadcastId) {
          await tx
            .update(ingress)
            .set({ refusedAt: sql`now()` })
            .where(eq(ingress.ingressId, info.ingressId));
          return { outcome: "refused", kick };
        }
        return { outcome: "applied" };
      }
      case "ingress_ended":
        if (same && !same.endedAt && same.mode === "ingress" && same.streamId === own.streamId) {
          await markCreatorLeft(tx, eq(broadcast.id, same.id));
          return { outcome: "applied" };
        }
        return { outcome: "stale", moveRoom: own.streamId };
      default:
        return { outcome: "ignored" };
    }
  });
  if (after.kick) await services.rooms.removeParticipant(after.kick.roomName, after.kick.identity);
  if (after.moveRoom) await moveIngressToFreshRoom(services, after.moveRoom);
  return after.outcome;
}
