import type { Database, DatabaseHandle } from "@onair/db";
import { StreamEvents } from "./events";
import { createLiveKitRooms, type LiveKitConfig, type LiveKitRooms, type Logger } from "./livekit";

/** What procedures, webhooks and the sweeper need besides the database. */
export interface Services {
  db: Database;
  livekit: LiveKitConfig;
  rooms: LiveKitRooms;
  events: StreamEvents;
  log: Logger;
}

export interface CreateServicesOptions {
  handle: Pick<DatabaseHandle, "db" | "listen">;
  livekit: LiveKitConfig;
  log: Logger;
  /** Replaces LiveKit's room API (tests). */
  rooms?: LiveKitRooms;
}

/** Builds the services and starts listening for live-status changes. */
export async function createServices({ handle, livekit, log, rooms }: CreateServicesOptions): Promise<Services> {
  const events = new StreamEvents(handle.listen);
  await events.start();
  return { db: handle.db, livekit, rooms: rooms ?? createLiveKitRooms(livekit, log), events, log };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
