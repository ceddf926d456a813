import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { stream, type Database } from "@onair/db";
import { findOpenBroadcast } from "./broadcasts";
import { publishStreamChange } from "./events";
import { randomBase64url } from "./random";
import type { Services } from "./types";

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
