import type { Database, DatabaseHandle } from "@onair/db";
import { createChatEvents, type ChatEvents } from "./chat";
import { createStreamEvents, type StreamEvents } from "./events";
import { createLiveKitRooms, type LiveKitConfig, type LiveKitRooms, type Logger } from "./livekit";

/** What procedures, webhooks and the sweeper need besides the database. */
export interface Services {
  db: Database;
  livekit: LiveKitConfig;
  rooms: LiveKitRooms;
  events: StreamEvents;
  chat: ChatEvents;
  log: Logger;
}

export interface CreateServicesOptions {
  handle: Pick<DatabaseHandle, "db" | "listen">;
  livekit: LiveKitConfig;
  log: Logger;
  /** Replaces LiveKit's room API (tests). */
  rooms?: LiveKitRooms;
}

/** Stops listening for events (before the database closes). */
export async function stopServices(services: Services): Promise<void> {
  await Promise.all([services.events.stop(), services.chat.stop()]);
}

/** Builds the services and starts listening for live-status changes. */
export async function createServices({ handle, livekit, log, rooms }: CreateServicesOptions): Promise<Services> {
  const events = createStreamEvents(handle.listen);
  const chat = createChatEvents(handle.listen);
  await Promise.all([events.start(), chat.start()]);
  return { db: handle.db, livekit, rooms: rooms ?? createLiveKitRooms(livekit, log), events, chat, log };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
