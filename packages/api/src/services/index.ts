import type { Database, DatabaseHandle } from "@onair/db";
import { createActivityEvents, type ActivityEvents } from "./activity";
import { createChatEvents, publishChatEvent, type ChatEvents } from "./chat";
import { createStreamEvents, type StreamEvents } from "./events";
import {
  createLiveKitIngress,
  createLiveKitRooms,
  type LiveKitConfig,
  type LiveKitIngress,
  type LiveKitRooms,
  type Logger,
} from "./livekit";
import { RateLimiter } from "./rate-limit";
import { ReactionTally, REACTIONS_PER_SECOND } from "./reactions";
import { createReadCache, type ReadCache } from "./read-cache";

/** Follow and unfollow changes per user per minute: one client cannot flood every channel page with follower counts. */
export const FOLLOW_CHANGES_PER_MINUTE = 10;

/** What procedures, webhooks and the sweeper need besides the database. */
export interface Services {
  db: Database;
  /** The database's liveness pool (`DatabaseHandle.liveness`; else `db`): the creator's heartbeat. */
  liveness: Database;
  livekit: LiveKitConfig;
  rooms: LiveKitRooms;
  /** LiveKit's Ingress API (streaming software); null when the feature is off (`INGRESS=off`). */
  ingress: LiveKitIngress | null;
  events: StreamEvents;
  chat: ChatEvents;
  /** Follows and gifts, to each creator's studio (`stream.onActivity`). */
  activity: ActivityEvents;
  /** Per-user limits kept in this process. */
  limits: { follow: RateLimiter; react: RateLimiter };
  /** Reactions gathered per channel, announced with their counts (`chat.react`). */
  reactions: ReactionTally;
  /** Channel views, live rooms, restrictions and sessions in memory, dropped as they change (read-cache.ts). */
  cache: ReadCache;
  log: Logger;
}

export interface CreateServicesOptions {
  handle: Pick<DatabaseHandle, "db" | "listen"> & Partial<Pick<DatabaseHandle, "liveness">>;
  livekit: LiveKitConfig;
  log: Logger;
  /** Replaces LiveKit's room API (tests). */
  rooms?: LiveKitRooms;
  /** false: no streaming-software ingress (`INGRESS=off`). Default true. */
  ingress?: boolean;
}

/** Completes every subscription (shutting down: each stream ends with tRPC's `return` frame). */
export function endSubscriptions(services: Services): void {
  services.events.end();
  services.chat.end();
  services.activity.end();
}

/** Stops listening for events (before the database closes). */
export async function stopServices(services: Services): Promise<void> {
  services.reactions.stop();
  await Promise.all([services.events.stop(), services.chat.stop(), services.activity.stop(), services.cache.stop()]);
}

/** Builds the services and starts listening for live-status changes. */
export async function createServices({ handle, livekit, log, rooms, ingress = true }: CreateServicesOptions): Promise<Services> {
  const events = createStreamEvents(handle.listen);
  const chat = createChatEvents(handle.listen);
  const activity = createActivityEvents(handle.listen);
  const cache = createReadCache(handle);
  // A subscriber that catches up after the bus was deaf must not read what the caches kept meanwhile.
  for (const fanout of [events, chat]) fanout.onResync(cache.forget);
  await Promise.all([events.start(), chat.start(), activity.start(), cache.start()]);
  const limits = {
    follow: new RateLimiter(FOLLOW_CHANGES_PER_MINUTE, 60_000),
    react: new RateLimiter(REACTIONS_PER_SECOND, 1000),
  };
  const reactions = new ReactionTally(
    (streamId, event) => publishChatEvent(handle.db, streamId, event),
    (error) => log.warn({ reason: error instanceof Error ? error.message : String(error) }, "reactions not announced"),
  );
  return {
    db: handle.db,
    liveness: handle.liveness ?? handle.db,
    livekit,
    rooms: rooms ?? createLiveKitRooms(livekit, log),
    ingress: ingress ? createLiveKitIngress(livekit, log) : null,
    events,
    chat,
    activity,
    limits,
    reactions,
    cache,
    log,
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
