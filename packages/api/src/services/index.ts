import type { DatabaseHandle } from "@onair/db";
import { createActivityEvents } from "./audience/activity";
import { createChatEvents, publishChatEvent } from "./chat/chat-bus";
import { createModerationEvents } from "./moderation/moderation-log";
import { NotificationEvents } from "./audience/notifications";
import { createStreamEvents } from "./shared/events";
import { createLiveKitIngress, createLiveKitRooms, type LiveKitConfig, type LiveKitRooms, type Logger } from "./livekit";
import { RateLimiter } from "./shared/rate-limit";
import { ReactionTally, REACTIONS_PER_SECOND } from "./chat/reactions";
import { createReadCache } from "./shared/read-cache";
import { createStageEvents } from "./stage/stage-events";
import type { Services } from "./types";

export type { Services } from "./types";
export type { RoomServices } from "./shared/room-services";

/** Follow and unfollow changes per user per minute: one client cannot flood every channel page with follower counts. */
export const FOLLOW_CHANGES_PER_MINUTE = 10;

export interface CreateServicesOptions {
  handle: Pick<DatabaseHandle, "db" | "listen"> & Partial<Pick<DatabaseHandle, "liveness">>;
  livekit: LiveKitConfig;
  log: Logger;
  /** Replaces LiveKit's room API (tests). */
  rooms?: LiveKitRooms;
  /** false: no streaming-software ingress (`INGRESS=off`). Default true. */
  ingress?: boolean;
  /** true in production: no development-only broadcasts without video. Default false (tests). */
  production?: boolean;
}

/** Completes every subscription (shutting down: each stream ends with tRPC's `return` frame). */
export function endSubscriptions(services: Services): void {
  services.events.end();
  services.chat.end();
  services.activity.end();
  services.moderation.end();
  services.notifications.end();
  services.stage.end();
}

/** Stops listening for events (before the database closes). */
export async function stopServices(services: Services): Promise<void> {
  services.reactions.stop();
  await Promise.all([
    services.events.stop(),
    services.chat.stop(),
    services.activity.stop(),
    services.moderation.stop(),
    services.notifications.stop(),
    services.stage.stop(),
    services.cache.stop(),
  ]);
}

/** Builds the services and starts listening for live-status changes. */
export async function createServices({
  handle,
  livekit,
  log,
  rooms,
  ingress = true,
  production = false,
}: CreateServicesOptions): Promise<Services> {
  const cache = createReadCache(handle);
  const events = createStreamEvents(handle.listen, cache.view);
  const chat = createChatEvents(handle.listen);
  const activity = createActivityEvents(handle.listen);
  const moderation = createModerationEvents(handle.listen);
  const notifications = new NotificationEvents(handle.listen);
  const stage = createStageEvents(handle.listen);
  // A subscriber that catches up after the bus was deaf must not read what the caches kept meanwhile.
  for (const fanout of [events, chat]) fanout.onResync(cache.forget);
  await Promise.all([
    events.start(),
    chat.start(),
    activity.start(),
    moderation.start(),
    notifications.start(),
    stage.start(),
    cache.start(),
  ]);
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
    moderation,
    notifications,
    stage,
    limits,
    reactions,
    cache,
    log,
    devBroadcasts: !production,
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
