import { TRPCError } from "@trpc/server";
import { and, asc, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { broadcast, stageGuest, user, type Database } from "@onair/db";
import { getChannel, type Channel } from "../live/channels";
import { activeRestriction } from "../chat/chat-rules";
import { findUserByUsername } from "../live/creators";
import { restrictedWords } from "../gifts/gift-rules";
import { requireOwnStream } from "../live/live";
import { mintStageToken } from "../livekit";
import { placeEnded, publishStageEvent } from "./stage-events";
import { lockStage, stageIdentity, withdrawFromStage } from "./stage-guests";
import type { Services } from "../types";

/**
 * Guest on stage (issue 26): the creator, while live, invites a signed-in user on camera into the
 * current broadcast; the user accepts (a LiveKit token for camera and microphone only) or declines;
 * the creator removes a guest, or the guest leaves. At most `MAX_GUESTS_ON_STAGE` on stage at once:
 * every change takes the channel's stage lock first, so two accepts cannot both take the last place.
 */
export const MAX_GUESTS_ON_STAGE = 3;

interface Person {
  id: string;
  username: string;
}

const current = inArray(stageGuest.status, ["invited", "accepted"]);

/** The stream's open broadcast (null when not live), under the channel's stage lock until the transaction ends. */
async function lockOpenBroadcast(tx: Database, streamId: string) {
  await lockStage(tx, streamId);
  const [row] = await tx
    .select({ id: broadcast.id, roomName: broadcast.roomName })
    .from(broadcast)
    .where(and(eq(broadcast.streamId, streamId), isNull(broadcast.endedAt)));
  return row ?? null;
}

async function guestsOnStage(tx: Database, broadcastId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(stageGuest)
    .where(and(eq(stageGuest.broadcastId, broadcastId), eq(stageGuest.status, "accepted")));
  return row?.n ?? 0;
}

/** The user's invitation or place on this broadcast's stage (invited or accepted), if any. */
async function currentRow(tx: Database, broadcastId: string, userId: string) {
  const [row] = await tx
    .select({ id: stageGuest.id, status: stageGuest.status })
    .from(stageGuest)
    .where(and(eq(stageGuest.broadcastId, broadcastId), eq(stageGuest.userId, userId), current));
  return row ?? null;
}

const stageFull = (whose: string) =>
  new TRPCError({
    code: "CONFLICT",
    message: `${whose} stage is full: at most ${MAX_GUESTS_ON_STAGE} guests at once`,
  });

async function refuseRestricted(db: Database, channel: { id: string }, userId: string, words: (kind: string) => string) {
  const restriction = await activeRestriction(db, channel.id, userId);
  if (restriction) throw new TRPCError({ code: "FORBIDDEN", message: words(restriction.kind) });
}

/** `stage.invite`: asks `username` on camera into the creator's current broadcast. */
export async function inviteGuest(db: Database, creator: Person, username: string) {
  const own = await requireOwnStream(db, creator.id);
  const guest = await findUserByUsername(db, username);
  if (guest.id === creator.id) throw new TRPCError({ code: "BAD_REQUEST", message: "username: you are on your own stage already" });
  const kinds: Record<string, string> = { timeout: "timed out", ban: "banned", block: "blocked" };
  await refuseRestricted(
    db,
    own,
    guest.id,
    (kind) => `username: ${guest.username} is ${kinds[kind]} in your channel and cannot be invited`,
  );
  return db.transaction(async (tx) => {
    const open = await lockOpenBroadcast(tx, own.id);
    if (!open) throw new TRPCError({ code: "PRECONDITION_FAILED", message: "You are not live: go live before inviting guests on stage" });
    const row = await currentRow(tx, open.id, guest.id);
    if (row?.status === "accepted") throw new TRPCError({ code: "CONFLICT", message: `${guest.username} is on your stage already` });
    if ((await guestsOnStage(tx, open.id)) >= MAX_GUESTS_ON_STAGE) throw stageFull("Your");
    if (!row) {
      const [created] = await tx
        .insert(stageGuest)
        .values({ broadcastId: open.id, userId: guest.id, invitedBy: creator.id })
        .returning({ at: stageGuest.invitedAt });
      await publishStageEvent(tx, guest.id, { type: "invited", channel: creator.username, invitedBy: creator.username, at: created!.at });
    }
    // Asking again while the invitation is open is the same invitation.
    return { invited: true as const };
  });
}

/** The user's latest invitation from the channel, and whether its broadcast is the open one. */
async function latestInvitation(tx: Database, streamId: string, userId: string, openId: string | null) {
  const [row] = await tx
    .select({ id: stageGuest.id, status: stageGuest.status, acceptedAt: stageGuest.acceptedAt, broadcastId: stageGuest.broadcastId })
    .from(stageGuest)
    .innerJoin(broadcast, eq(broadcast.id, stageGuest.broadcastId))
    .where(and(eq(broadcast.streamId, streamId), eq(stageGuest.userId, userId)))
    .orderBy(desc(stageGuest.invitedAt))
    .limit(1);
  return row ? { ...row, ended: row.broadcastId !== openId } : null;
}

/** Why an invitation that is no longer open cannot be accepted (CONFLICT), in words. */
function closedInvitation(channel: Channel, row: { status: string; acceptedAt: Date | null; ended: boolean }): TRPCError {
  const name = channel.username;
  const message = row.ended
    ? `${name}'s broadcast this invitation was for has ended`
    : row.status === "declined"
      ? `You declined ${name}'s invitation: ask for a new one`
      : row.status === "left"
        ? `You left ${name}'s stage: ask for a new invitation`
        : row.acceptedAt
          ? `${name} took you off the stage`
          : `${name} withdrew the invitation`;
  return new TRPCError({ code: "CONFLICT", message });
}

/**
 * `stage.accept`: takes the user on the channel's stage and returns their LiveKit token (camera and
 * microphone only). Called again while on stage, it renews the token; once off stage, never.
 */
export async function acceptInvitation(services: Pick<Services, "db" | "livekit">, guest: Person, channelName: string) {
  const { db } = services;
  const channel = await getChannel(db, channelName);
  if (channel.ownerId === guest.id) throw new TRPCError({ code: "BAD_REQUEST", message: "username: this is your own channel" });
  await refuseRestricted(db, channel, guest.id, (kind) => restrictedWords({ kind }));
  const roomName = await db.transaction(async (tx) => {
    const open = await lockOpenBroadcast(tx, channel.id);
    const row = await latestInvitation(tx, channel.id, guest.id, open?.id ?? null);
    if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `${channel.username} has not invited you on stage` });
    if (row.ended || (row.status !== "invited" && row.status !== "accepted")) throw closedInvitation(channel, row);
    if (row.status === "invited") {
      if ((await guestsOnStage(tx, row.broadcastId)) >= MAX_GUESTS_ON_STAGE) throw stageFull(`${channel.username}'s`);
      await tx
        .update(stageGuest)
        .set({ status: "accepted", acceptedAt: sql`now()` })
        .where(eq(stageGuest.id, row.id));
      // The user's other pages drop the invitation.
      await publishStageEvent(tx, guest.id, { type: "withdrawn", channel: channel.username });
    }
    return open!.roomName;
  });
  const identity = stageIdentity(guest.id);
  const token = mintStageToken(services.livekit, { identity, name: guest.username, roomName });
  return { token, wsUrl: services.livekit.url, roomName, identity };
}

/** Ends the user's open invitation or place on the channel's current stage, as `status` (null: none). */
async function endPlace(db: Database, streamId: string, userId: string, status: "declined" | "removed" | "left", only?: "invited") {
  return db.transaction(async (tx) => {
    const open = await lockOpenBroadcast(tx, streamId);
    const row = open ? await currentRow(tx, open.id, userId) : null;
    if (!open || !row || (only && row.status !== only)) return { open, row };
    await tx
      .update(stageGuest)
      .set({ status, endedAt: sql`now()` })
      .where(eq(stageGuest.id, row.id));
    return { open, row, ended: true };
  });
}

/** `stage.decline`: says no to the channel's open invitation. */
export async function declineInvitation(db: Database, guest: Person, channelName: string) {
  const channel = await getChannel(db, channelName);
  const { row, ended } = await endPlace(db, channel.id, guest.id, "declined", "invited");
  if (row?.status === "accepted") {
    throw new TRPCError({ code: "CONFLICT", message: `You are on ${channel.username}'s stage: leave it instead (stage.leave)` });
  }
  if (!ended) throw new TRPCError({ code: "NOT_FOUND", message: `${channel.username} has no open invitation for you` });
  await publishStageEvent(db, guest.id, { type: "withdrawn", channel: channel.username });
  return { declined: true as const };
}

/** `stage.remove`: the creator takes `username` off their stage, or withdraws the invitation. */
export async function removeGuest(services: Pick<Services, "db" | "rooms">, creator: Person, username: string) {
  const own = await requireOwnStream(services.db, creator.id);
  const guest = await findUserByUsername(services.db, username);
  const { open, row, ended } = await endPlace(services.db, own.id, guest.id, "removed");
  if (!ended) throw new TRPCError({ code: "NOT_FOUND", message: `${guest.username} is neither on your stage nor invited` });
  await publishStageEvent(services.db, guest.id, placeEnded(creator.username, row.status === "accepted", "creator"));
  const disconnected = row.status === "accepted" ? await withdrawFromStage(services.rooms, open.roomName, guest.id) : false;
  return { removed: true as const, disconnected };
}

/**
 * A moderator restricted `userId` in the channel: off its stage at once (an invitation withdrawn, a
 * guest's publish right withdrawn at LiveKit), not at the next reconcile. Nothing when not on it.
 */
export async function takeRestrictedOffStage(
  services: Pick<Services, "db" | "rooms">,
  channel: { id: string; username: string },
  userId: string,
) {
  const { open, row, ended } = await endPlace(services.db, channel.id, userId, "removed");
  if (!ended) return false;
  await publishStageEvent(services.db, userId, placeEnded(channel.username, row.status === "accepted", "restricted"));
  if (row.status === "accepted") await withdrawFromStage(services.rooms, open.roomName, userId);
  return true;
}

/** `stage.leave`: the guest steps off the channel's stage. */
export async function leaveStage(services: Pick<Services, "db" | "rooms">, guest: Person, channelName: string) {
  const channel = await getChannel(services.db, channelName);
  const { open, row, ended } = await endPlace(services.db, channel.id, guest.id, "left");
  if (!ended) throw new TRPCError({ code: "NOT_FOUND", message: `You are not on ${channel.username}'s stage` });
  if (row.status === "invited") await publishStageEvent(services.db, guest.id, { type: "withdrawn", channel: channel.username });
  else await withdrawFromStage(services.rooms, open.roomName, guest.id);
  return { left: true as const };
}

/** `stage.list`: the guests on the channel's stage now, first on first. */
export async function listStage(db: Database, channelName: string) {
  const channel = await getChannel(db, channelName);
  const rows = await db
    .select({ username: user.username, since: stageGuest.acceptedAt })
    .from(stageGuest)
    .innerJoin(broadcast, eq(broadcast.id, stageGuest.broadcastId))
    .innerJoin(user, eq(user.id, stageGuest.userId))
    .where(and(eq(broadcast.streamId, channel.id), isNull(broadcast.endedAt), eq(stageGuest.status, "accepted")))
    .orderBy(asc(stageGuest.acceptedAt));
  return rows.map((row) => ({ username: row.username ?? "", since: row.since! }));
}
