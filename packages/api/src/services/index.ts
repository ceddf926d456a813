import type { Database, DatabaseHandle } from "@onair/db";
import { createChatEvents, type ChatEvents } from "./chat";
import { createStreamEvents, type StreamEvents } from "./events";
import { createLiveKitRooms, type LiveKitConfig, type LiveKitRooms, type Logger } from "./livekit";
import { createReadCache, type ReadCache } from "./read-cache";

/** What procedures, webhooks and the sweeper need besides the database. */
export interface Services {
  db: Database;
  livekit: LiveKitConfig;
  rooms: LiveKitRooms;
  events: StreamEvents;
  chat: ChatEvents;
  /** Channel views, live rooms, restrictions and sessions in memory, dropped as they change (read-cache.ts). */
  cache: ReadCache;
  log: Logger;
}

export interface CreateServicesOptions {
  handle: Pick<DatabaseHandle, "db" | "listen">;
  livekit: LiveKitConfig;
  log: Logger;
  /** Replaces LiveKit's room API (tests). */
  rooms?: LiveKitRooms;
}

/** Completes every subscription (shutting down: each stream ends with tRPC's `return` frame). */
export function endSubscriptions(services: Services): void {
  services.events.end();
  services.chat.end();
}

/** Stops listening for events (before the database closes). */
export async function stopServices(services: Services): Promise<void> {
  await Promise.all([services.events.stop(), services.chat.stop(), services.cache.stop()]);
}

/** Builds the services and starts listening for live-status changes. */
export async function createServices({ handle, livekit, log, rooms }: CreateServicesOptions): Promise<Services> {
  const events = createStreamEvents(handle.listen);
  const chat = createChatEvents(handle.listen);
  const cache = createReadCache(handle);
  await Promise.all([events.start(), chat.start(), cache.start()]);
  return { db: handle.db, livekit, rooms: rooms ?? createLiveKitRooms(livekit, log), events, chat, cache, log };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
