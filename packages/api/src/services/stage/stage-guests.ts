import { and, eq, inArray, sql } from "drizzle-orm";
import { stageGuest, type Database } from "@onair/db";
import { restrictionsOf } from "../chat/chat-rules";
import type { LiveKitRooms } from "../livekit";
import { placeEnded, publishStageEvents } from "./stage-events";

/**
 * What broadcasts and LiveKit's webhooks need to know of the stage ("guest on stage", stage.ts): a
 * guest's LiveKit identity, who may not be in a broadcast's room as a guest, taking one off at LiveKit, and
 * ending a broadcast's stage. Apart from stage.ts, which reads broadcasts, so that broadcasts can call it.
 */

const STAGE_PREFIX = "stage-";
/** Advisory lock class of the per-channel stage lock (the second key is a hash of the stream id). */
const STAGE_LOCK_CLASS = 0x6f6e7374;

/**
 * Takes the channel's stage lock until the transaction ends: every change to a stage (invite, accept,
 * remove, the broadcast ending) holds it, so the limit is checked and kept as one step. A lock of its
 * own, not the broadcast row's: the creator's heartbeat never waits for a stage change.
 */
export async function lockStage(db: Database, streamId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(${STAGE_LOCK_CLASS}, hashtext(${streamId}))`);
}

/** A guest's LiveKit identity: never the creator's (the creator's tracks alone make a channel live). */
export const stageIdentity = (userId: string) => `${STAGE_PREFIX}${userId}`;

/** The user id of a guest's identity, or null for anyone else. */
export const stageGuestOf = (identity: string | undefined) =>
  identity?.startsWith(STAGE_PREFIX) ? identity.slice(STAGE_PREFIX.length) : null;

/**
 * Of the guests (user ids) LiveKit shows in the broadcast's room, those who may not be there: not on
 * its stage (never, or no longer), or restricted in the channel since they came on; those are taken
 * off the stage here (`removed`, which their pages hear). The caller withdraws them at LiveKit.
 */
export async function guestsToTakeOff(
  db: Database,
  broadcast: { id: string; streamId: string; username: string | null },
  userIds: string[],
): Promise<string[]> {
  if (userIds.length === 0) return [];
  const accepted = await db
    .select({ userId: stageGuest.userId })
    .from(stageGuest)
    .where(and(eq(stageGuest.broadcastId, broadcast.id), inArray(stageGuest.userId, userIds), eq(stageGuest.status, "accepted")));
  const restricted = await restrictionsOf(db, broadcast.streamId, userIds);
  const offNow = accepted.map((row) => row.userId).filter((userId) => restricted.has(userId));
  if (offNow.length > 0) {
    const taken = await db
      .update(stageGuest)
      .set({ status: "removed", endedAt: sql`now()` })
      .where(and(eq(stageGuest.broadcastId, broadcast.id), inArray(stageGuest.userId, offNow), eq(stageGuest.status, "accepted")))
      .returning({ userId: stageGuest.userId });
    const channel = broadcast.username ?? "";
    await publishStageEvents(
      db,
      taken.map(({ userId }) => ({ userId, event: placeEnded(channel, true, "restricted") })),
    );
  }
  const onStage = new Set(accepted.map((row) => row.userId));
  return userIds.filter((userId) => !onStage.has(userId) || restricted.has(userId));
}

/**
 * Takes a guest off at LiveKit: their publish right is withdrawn at once, then they are disconnected
 * and every token issued to them so far is refused (it can no longer join or be renewed). LiveKit
 * failures are logged by the room service; true when the guest was disconnected.
 */
export async function withdrawFromStage(rooms: LiveKitRooms, roomName: string, userId: string): Promise<boolean> {
  const identity = stageIdentity(userId);
  await rooms.updateParticipant(roomName, identity, { canPublish: false, canSubscribe: true, canPublishData: false });
  return rooms.removeParticipant(roomName, identity, { revokeTokens: true });
}

/**
 * The creator ending the stream ends the stage: inside the transaction that ends the broadcasts, every
 * guest on their stages is taken off (`removed`) and every open invitation withdrawn (the invited user's
 * pages hear `withdrawn` on commit). LiveKit's room is deleted by the caller, which disconnects the guests.
 */
export async function endStages(db: Database, ended: { id: string; username: string; streamId: string }[]): Promise<void> {
  if (ended.length === 0) return;
  // An accept racing the end either commits first (and is ended here) or sees the broadcast ended.
  for (const streamId of ended.map((row) => row.streamId).sort()) await lockStage(db, streamId);
  const rows = await db
    .update(stageGuest)
    .set({ status: "removed", endedAt: sql`now()` })
    .where(
      and(
        inArray(
          stageGuest.broadcastId,
          ended.map((row) => row.id),
        ),
        inArray(stageGuest.status, ["invited", "accepted"]),
      ),
    )
    .returning({ userId: stageGuest.userId, broadcastId: stageGuest.broadcastId, acceptedAt: stageGuest.acceptedAt });
  const channelOf = new Map(ended.map((row) => [row.id, row.username]));
  await publishStageEvents(
    db,
    rows.map((row) => ({
      userId: row.userId,
      event: placeEnded(channelOf.get(row.broadcastId) ?? "", row.acceptedAt !== null, "ended"),
    })),
  );
}
