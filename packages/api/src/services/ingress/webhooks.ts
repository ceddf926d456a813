import { and, eq, isNull } from "drizzle-orm";
import type { WebhookEvent } from "livekit-server-sdk";
import { broadcast, stream, user } from "@onair/db";
import { endBroadcasts, markCreatorBack, markCreatorLeft, setPublishing, setViewerCount } from "../live/broadcasts";
import { applyIngressWebhook } from "./ingress-webhooks";
import { guestsToTakeOff, stageGuestOf, withdrawFromStage } from "../stage/stage-guests";
import type { Services } from "../types";
import { recordWebhookEvent, type WebhookOutcome } from "./webhook-events";

export type { WebhookOutcome };

/**
 * Applies a verified LiveKit webhook exactly once: the event id is recorded in the same transaction
 * as its effect. Only events for the room of a stream's open broadcast change anything; a late event
 * from an ended broadcast is "stale".
 * A guest on stage (`stage-<userId>`) is neither the creator nor a viewer: their tracks never make the
 * channel publish, and one who joins or publishes while not on the stage (removed, left, the token
 * used after it was withdrawn, restricted in the channel since) is taken off at LiveKit at once.
 */
export async function applyLiveKitWebhook(
  services: Pick<Services, "db" | "rooms" | "ingress">,
  event: WebhookEvent,
): Promise<WebhookOutcome> {
  if (event.event.startsWith("ingress_")) return applyIngressWebhook(services, event);
  const { db } = services;
  const roomName = event.room?.name ?? "";
  const guestId = stageGuestOf(event.participant?.identity);
  let evict = false;
  const outcome = await db.transaction(async (tx): Promise<WebhookOutcome> => {
    if (!(await recordWebhookEvent(tx, event, roomName))) return "duplicate";

    const [open] = await tx
      .select({ id: broadcast.id, streamId: stream.id, creatorId: stream.userId, username: user.username })
      .from(broadcast)
      .innerJoin(stream, eq(stream.id, broadcast.streamId))
      .innerJoin(user, eq(user.id, stream.userId))
      .where(and(eq(broadcast.roomName, roomName), isNull(broadcast.endedAt)));
    if (!open) return "stale";

    if (guestId !== null) {
      const present = event.event === "participant_joined" || event.event === "track_published";
      evict = present && (await guestsToTakeOff(tx, open, [guestId])).length > 0;
      return "ignored";
    }
    const thisBroadcast = eq(broadcast.id, open.id);
    const byCreator = event.participant?.identity === open.creatorId;
    const username = open.username ?? "";
    switch (event.event) {
      case "room_finished":
        // LiveKit closed the room itself: nothing left to delete.
        await endBroadcasts(tx, thisBroadcast, "room_finished");
        return "applied";
      case "participant_left":
        if (!byCreator) {
          await setViewerCount(tx, viewerTarget(open), { delta: -1 });
          return "applied";
        }
        await markCreatorLeft(tx, thisBroadcast);
        await setPublishing(tx, thisBroadcast, false, username);
        return "applied";
      case "participant_joined":
        if (!byCreator) {
          await setViewerCount(tx, viewerTarget(open), { delta: 1 });
          return "applied";
        }
        await markCreatorBack(tx, thisBroadcast);
        return "applied";
      case "track_published":
        if (!byCreator) return "ignored";
        await setPublishing(tx, thisBroadcast, true, username);
        return "applied";
      case "track_unpublished": {
        if (!byCreator) return "ignored";
        // Media still flows while LiveKit lists another of the creator's tracks (e.g. the mic after the camera).
        const others = event.participant?.tracks.filter((t) => t.sid !== event.track?.sid) ?? [];
        if (others.length === 0) await setPublishing(tx, thisBroadcast, false, username);
        return "applied";
      }
      default:
        return "ignored";
    }
  });
  if (evict && guestId !== null) await withdrawFromStage(services.rooms, roomName, guestId);
  return outcome;
}

const viewerTarget = (open: { id: string; streamId: string; username: string | null }) => ({
  broadcastId: open.id,
  streamId: open.streamId,
  username: open.username ?? "",
});
