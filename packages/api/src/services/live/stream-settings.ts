import { eq, sql } from "drizzle-orm";
import { stream, type Database } from "@onair/db";
import { announceStreamChange, requireOwnStream } from "./live";
import { findStreamByUserId } from "./streams";
import type { Services } from "../types";

/** The creator saving settings: the signed-in caller. */
export interface StreamOwner {
  id: string;
  username?: string | null | undefined;
}

export interface StreamDetails {
  title: string;
  description?: string | undefined;
  /** An https:// URL, or "" for none. */
  thumbnail?: string | undefined;
}

export interface ChatSettings {
  isChatEnabled?: boolean | undefined;
  isChatDelayed?: boolean | undefined;
  isChatFollowersOnly?: boolean | undefined;
  slowModeSeconds?: number | undefined;
  followersOnlyMinutes?: number | undefined;
}

/** Sets the channel's title, description and thumbnail (making the channel when it has none); its public view after. */
export async function saveStreamDetails(
  db: Database,
  services: Pick<Services, "db" | "rooms">,
  owner: StreamOwner,
  details: StreamDetails,
) {
  const values = { title: details.title, description: details.description || null, thumbnail: details.thumbnail || null };
  const [saved] = await db
    .insert(stream)
    .values({ userId: owner.id, ...values })
    .onConflictDoUpdate({ target: stream.userId, set: { ...values, updatedAt: sql`now()` } })
    .returning({ id: stream.id });
  await announceStreamChange(services, { streamId: saved!.id, username: owner.username ?? "", title: details.title });
  return (await findStreamByUserId(db, owner.id))!;
}

/** Changes the named chat settings of the creator's channel; its public view after. */
export async function updateChatSettings(
  db: Database,
  services: Pick<Services, "db" | "rooms">,
  owner: StreamOwner,
  settings: ChatSettings,
) {
  const own = await requireOwnStream(db, owner.id);
  await updateStream(db, own.id, settings);
  await announceStreamChange(services, { streamId: own.id, username: owner.username ?? "" });
  return (await findStreamByUserId(db, owner.id))!;
}

/** Writes the changes to the channel's row (announcing them is the caller's: `announceStreamChange`). */
export async function updateStream(db: Database, streamId: string, changes: ChatSettings & { title?: string }) {
  await db
    .update(stream)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(eq(stream.id, streamId));
}
