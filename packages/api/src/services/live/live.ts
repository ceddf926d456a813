import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { broadcast, stream, type BroadcastEndReason, type Database, type StreamMode } from "@onair/db";
import { endAndCloseRooms, findOpenBroadcast, markCreatorLeft, setPublishing } from "./broadcasts";
import { publishStreamChange } from "../shared/events";
import { randomBase64url } from "../shared/random";
import { findStreamId } from "./streams";
import type { RoomServices } from "../shared/room-services";
import type { Services } from "../types";

/** A viewer's LiveKit identity: never the creator's own (that would kick their publisher). */
export function viewerIdentity(userId: string | undefined): string {
  return userId ? `viewer-${userId}` : `guest-${randomBase64url(9)}`;
}

/** The creator's own stream row: every approved creator has one (made on approval). */
export async function requireOwnStream(db: Database, userId: string) {
  const [own] = await db.select().from(stream).where(eq(stream.userId, userId));
  if (!own) throw new TRPCError({ code: "NOT_FOUND", message: "You have no channel yet: save your stream settings first" });
  return own;
}

/** The open broadcast of a live channel, or a clear "offline" error. */
export async function requireOpenBroadcast(db: Database, streamId: string, username: string) {
  const open = await findOpenBroadcast(db, streamId);
  if (!open) {
    throw new TRPCError({ code: "PRECONDITION_FAILED", message: `${username} is offline right now` });
  }
  return open;
}

/** Pushes a settings change to open channel pages, and the title to LiveKit's room when live. */
export async function announceStreamChange(
  services: Pick<Services, "db" | "rooms">,
  change: { streamId: string; username: string; title?: string | undefined },
) {
  await publishStreamChange(services.db, change.username);
  if (change.title === undefined) return;
  const open = await findOpenBroadcast(services.db, change.streamId);
  if (open) await services.rooms.updateRoomMetadata(open.roomName, JSON.stringify({ title: change.title }));
}

/** Ends the channel's open broadcast (only one of `mode` when given) and disconnects its room (`endAndCloseRooms`). */
export function endChannelBroadcast(services: RoomServices, streamId: string, reason: BroadcastEndReason, mode?: StreamMode) {
  const where = mode ? and(eq(broadcast.streamId, streamId), eq(broadcast.mode, mode))! : eq(broadcast.streamId, streamId);
  return endAndCloseRooms(services, where, reason);
}

/** Whether the media of the channel's open broadcast flows (`setPublishing`). */
export function setChannelPublishing(db: Database, streamId: string, publishing: boolean, username: string) {
  return setPublishing(db, eq(broadcast.streamId, streamId), publishing, username);
}

/** The creator's studio page is going away: only a browser broadcast ends after the grace (streaming software stays live). */
export function markStudioLeft(db: Database, streamId: string) {
  return markCreatorLeft(db, and(eq(broadcast.streamId, streamId), eq(broadcast.mode, "browser"))!);
}

/** An admin takes the user's channel off the air (moderation); NOT_FOUND when they have no channel. */
export async function takeChannelOffAir(db: Database, services: RoomServices, owner: { id: string; username: string }) {
  const streamId = await findStreamId(db, owner.id);
  if (!streamId) throw new TRPCError({ code: "NOT_FOUND", message: `${owner.username} has no channel` });
  const ended = await endChannelBroadcast(services, streamId, "admin");
  return { ended: ended.length > 0 };
}
