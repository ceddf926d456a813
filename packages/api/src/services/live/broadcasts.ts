import { randomUUID } from "node:crypto";
import { and, eq, inArray, isNotNull, isNull, lt, sql, type SQL } from "drizzle-orm";
import { broadcast, stream, user, type Broadcast, type BroadcastEndReason, type Database, type StreamMode } from "@onair/db";
import { startPublishing } from "../audience/alert-jobs";
import { lockChannelChat } from "../chat/chat";
import { publishStreamChange } from "../shared/events";
import { moveIngressToFreshRoom } from "../ingress/ingress";
import { endStages, guestsToTakeOff, stageGuestOf, withdrawFromStage } from "../stage/stage-guests";
import type { RoomServices } from "../shared/room-services";

/** A creator whose page has not said anything for this long is gone. */
export const HEARTBEAT_TIMEOUT_SECONDS = 45;
/** After the page's goodbye beacon or LiveKit's participant_left, a reload has this long to come back. */
export const LEFT_GRACE_SECONDS = 15;

/** LiveKit room API calls reconciling viewer counts makes at once. */
const RECONCILE_CONCURRENCY = 8;

const secondsAgo = (seconds: number) => sql`now() - make_interval(secs => ${seconds})`;

export async function findOpenBroadcast(db: Database, streamId: string): Promise<Broadcast | null> {
  const [row] = await db
    .select()
    .from(broadcast)
    .where(and(eq(broadcast.streamId, streamId), isNull(broadcast.endedAt)));
  return row ?? null;
}

/**
 * Opens the stream's broadcast, or resumes the open one (going live twice is one broadcast).
 * The partial unique index settles a race between two calls: the loser resumes the winner's row.
 * Only a broadcast fed the same way (`mode`) is resumed: with one fed the other way open, that one is
 * returned untouched, and the caller refuses (one source at a time).
 */
export async function openBroadcast(
  db: Database,
  streamId: string,
  username: string,
  { id = randomUUID(), mode = "browser", withoutVideo = false }: { id?: string; mode?: StreamMode; withoutVideo?: boolean } = {},
): Promise<Broadcast> {
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(broadcast)
      .values({ id, streamId, roomName: `broadcast-${id}`, mode, withoutVideo })
      .onConflictDoNothing()
      .returning();
    if (created) {
      await tx.update(stream).set({ isLive: true, liveSince: created.startedAt }).where(eq(stream.id, streamId));
      await publishStreamChange(tx, username);
      return created;
    }
    const [resumed] = await tx
      .update(broadcast)
      // Resuming says again whether it goes without video (LiveKit may have come back since).
      .set({ lastHeartbeatAt: sql`now()`, creatorLeftAt: null, withoutVideo })
      .where(and(eq(broadcast.streamId, streamId), isNull(broadcast.endedAt), eq(broadcast.mode, mode)))
      .returning();
    const open = resumed ?? (await findOpenBroadcast(tx, streamId));
    if (!open) throw new Error(`No open broadcast for stream ${streamId} after opening one`);
    return open;
  });
}

export interface EndedBroadcast {
  id: string;
  roomName: string;
  username: string;
  streamId: string;
  mode: StreamMode;
}

/**
 * Ends every open broadcast matching `where` with `reason`, atomically: when several server instances
 * race (sweepers, webhooks, the creator), each broadcast is ended by exactly one of them.
 * Each channel's chat lock is taken first (in one order, so two enders cannot deadlock): gifts already
 * holding it commit before the end, gifts after it see the broadcast ended (gifts.ts). The lock is a
 * fair queue, so a storm of gifts cannot hold an end off; nothing else here waits for a gift.
 * Their stages end with them (guests off, invitations withdrawn: stage-guests.ts).
 */
export async function endBroadcasts(db: Database, where: SQL, reason: BroadcastEndReason): Promise<EndedBroadcast[]> {
  return db.transaction(async (tx) => {
    const candidates = await tx
      .select({ id: broadcast.id, streamId: broadcast.streamId })
      .from(broadcast)
      .where(and(isNull(broadcast.endedAt), where))
      .orderBy(broadcast.streamId);
    if (candidates.length === 0) return [];
    for (const { streamId } of candidates) await lockChannelChat(tx, streamId);
    // `where` again, on what is committed now: a heartbeat that came while this waited keeps its broadcast.
    const ids = candidates.map((row) => row.id);
    const ended = await tx
      .update(broadcast)
      .set({ endedAt: sql`now()`, endReason: reason })
      .where(and(isNull(broadcast.endedAt), inArray(broadcast.id, ids), where))
      .returning({ id: broadcast.id, roomName: broadcast.roomName, streamId: broadcast.streamId, mode: broadcast.mode });
    const result: EndedBroadcast[] = [];
    for (const row of ended) {
      const [owner] = await tx
        .update(stream)
        .set({ isLive: false, liveSince: null, viewerCount: 0, lastLiveAt: sql`now()` })
        .from(user)
        .where(and(eq(stream.id, row.streamId), eq(user.id, stream.userId)))
        .returning({ username: user.username });
      const username = owner?.username ?? "";
      await publishStreamChange(tx, username);
      result.push({ ...row, username });
    }
    await endStages(tx, result);
    return result;
  });
}

/**
 * Ends broadcasts and disconnects everyone in their rooms, an ingress's participant too; an ingress is
 * then pointed at a fresh room for its next broadcast (LiveKit failures are logged, not thrown).
 */
export async function endAndCloseRooms(services: RoomServices, where: SQL, reason: BroadcastEndReason) {
  const ended = await endBroadcasts(services.db, where, reason);
  await Promise.all(ended.map((row) => services.rooms.deleteRoom(row.roomName)));
  await Promise.all(ended.filter((row) => row.mode === "ingress").map((row) => moveIngressToFreshRoom(services, row.streamId)));
  for (const row of ended) services.log.info({ broadcastId: row.id, username: row.username, reason }, "broadcast ended");
  return ended;
}

/**
 * The sweeper: ends broadcasts whose creator stopped answering (a browser's heartbeats; streaming
 * software has none: LiveKit's ingress and participant events say when it leaves) or left and did not
 * come back.
 */
export async function sweepBroadcasts(services: RoomServices): Promise<EndedBroadcast[]> {
  const timedOut = await endAndCloseRooms(
    services,
    and(eq(broadcast.mode, "browser"), lt(broadcast.lastHeartbeatAt, secondsAgo(HEARTBEAT_TIMEOUT_SECONDS)))!,
    "timeout",
  );
  const left = await endAndCloseRooms(
    services,
    and(isNotNull(broadcast.creatorLeftAt), lt(broadcast.creatorLeftAt, secondsAgo(LEFT_GRACE_SECONDS)))!,
    "left",
  );
  return [...timedOut, ...left];
}

/**
 * Records a sign of life from the creator's page; clears a pending "left" of a browser broadcast (the
 * page being open says nothing about streaming software).
 */
export async function touchBroadcast(db: Database, streamId: string): Promise<boolean> {
  const rows = await db
    .update(broadcast)
    .set({
      lastHeartbeatAt: sql`now()`,
      creatorLeftAt: sql`case when ${broadcast.mode} = 'browser' then null else ${broadcast.creatorLeftAt} end`,
    })
    .where(and(eq(broadcast.streamId, streamId), isNull(broadcast.endedAt)))
    .returning({ id: broadcast.id });
  return rows.length > 0;
}
/**
 * Whether the creator's media flows (`isPublishing`): set from LiveKit's track webhooks, the creator's
 * heartbeat and LiveKit's participant list. Tells open pages only when it changed.
 */
export async function setPublishing(db: Database, where: SQL, publishing: boolean, username: string): Promise<boolean> {
  // Media flowing for the first time in a broadcast also queues its go-live alerts (same statement).
  const changed = publishing
    ? await startPublishing(db, where)
    : (
        await db
          .update(broadcast)
          .set({ publishingAt: null })
          .where(and(isNull(broadcast.endedAt), isNotNull(broadcast.publishingAt), where))
          .returning({ id: broadcast.id })
      ).length;
  if (changed > 0) await publishStreamChange(db, username);
  return changed > 0;
}

/** The creator is leaving (tab closed, LiveKit disconnect): end after the grace unless they come back. */
export async function markCreatorLeft(db: Database, where: SQL): Promise<boolean> {
  const rows = await db
    .update(broadcast)
    .set({ creatorLeftAt: sql`coalesce(${broadcast.creatorLeftAt}, now())` })
    .where(and(isNull(broadcast.endedAt), where))
    .returning({ id: broadcast.id });
  return rows.length > 0;
}

/** The creator is back (LiveKit lists them again): a pending "left" no longer ends the broadcast. */
export async function markCreatorBack(db: Database, where: SQL): Promise<void> {
  await db
    .update(broadcast)
    .set({ creatorLeftAt: null })
    .where(and(isNull(broadcast.endedAt), where));
}
/**
 * Sets the live viewer count, to a number or moved by one (never below zero), keeps the broadcast's
 * peak, and tells open pages.
 */
export async function setViewerCount(
  db: Database,
  target: { broadcastId: string; streamId: string; username: string },
  viewers: number | { delta: 1 | -1 },
): Promise<void> {
  const next = typeof viewers === "number" ? viewers : sql`greatest(${stream.viewerCount} + ${viewers.delta}, 0)`;
  const [row] = await db
    .update(stream)
    .set({ viewerCount: next })
    .where(eq(stream.id, target.streamId))
    .returning({ viewerCount: stream.viewerCount });
  await db
    .update(broadcast)
    .set({ peakViewers: sql`greatest(${broadcast.peakViewers}, ${row?.viewerCount ?? 0})` })
    .where(eq(broadcast.id, target.broadcastId));
  await publishStreamChange(db, target.username);
}

/**
 * Corrects viewer counts from LiveKit's own participant lists (webhooks can be lost), and marks media
 * as flowing when the list shows the creator publishing; skipped for a room LiveKit could not be asked about.
 * Streaming software has no heartbeat: when its ingress participant is missing from the list of a
 * broadcast older than the grace (`ingress_ended` and `participant_left` both lost), the creator is
 * marked left, so the sweeper ends the broadcast unless they show up again; listed again, it is undone.
 */
export async function reconcileViewerCounts(services: RoomServices): Promise<number> {
  const open = await services.db
    .select({
      broadcastId: broadcast.id,
      roomName: broadcast.roomName,
      mode: broadcast.mode,
      settled: sql<boolean>`${broadcast.startedAt} < ${secondsAgo(LEFT_GRACE_SECONDS)}`,
      creatorLeft: sql<boolean>`${broadcast.creatorLeftAt} is not null`,
      streamId: stream.id,
      creatorId: stream.userId,
      username: user.username,
      viewerCount: stream.viewerCount,
    })
    .from(broadcast)
    .innerJoin(stream, eq(stream.id, broadcast.streamId))
    .innerJoin(user, eq(user.id, stream.userId))
    .where(isNull(broadcast.endedAt));
  let corrected = 0;
  // Several rooms at a time: one slow LiveKit answer does not hold up the others.
  const queue = [...open];
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      const participants = await services.rooms.listParticipants(row.roomName);
      if (participants === null) continue;
      const creator = participants.find((p) => p.identity === row.creatorId);
      const thisBroadcast = eq(broadcast.id, row.broadcastId);
      if (creator?.publishing) await setPublishing(services.db, thisBroadcast, true, row.username ?? "");
      if (row.mode === "ingress" && !creator && row.settled && !row.creatorLeft) {
        await markCreatorLeft(services.db, thisBroadcast);
        await setPublishing(services.db, thisBroadcast, false, row.username ?? "");
        services.log.info(
          { broadcastId: row.broadcastId, username: row.username },
          "streaming software no longer in its LiveKit room: ending after the grace",
        );
      } else if (row.mode === "ingress" && creator && row.creatorLeft) {
        await markCreatorBack(services.db, thisBroadcast);
      }
      // Guests on stage are neither the creator nor viewers; one who may not be there (restricted since) goes.
      const guests = participants.flatMap((p) => stageGuestOf(p.identity) ?? []);
      const intruders = await guestsToTakeOff(services.db, { id: row.broadcastId, streamId: row.streamId, username: row.username }, guests);
      await Promise.all(intruders.map((userId) => withdrawFromStage(services.rooms, row.roomName, userId)));
      const viewers = participants.filter((p) => p !== creator && stageGuestOf(p.identity) === null).length;
      if (viewers === row.viewerCount) continue;
      await setViewerCount(services.db, { ...row, username: row.username ?? "" }, viewers);
      corrected++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(RECONCILE_CONCURRENCY, open.length) }, worker));
  return corrected;
}
