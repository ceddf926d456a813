import type { Database } from "@onair/db";
import type { ActivityEvents } from "./audience/activity";
import type { ChatEvents } from "./chat/chat-bus";
import type { StreamEvents } from "./shared/events";
import type { ModerationEvents } from "./moderation/moderation-log";
import type { NotificationEvents } from "./audience/notifications";
import type { RateLimiter } from "./shared/rate-limit";
import type { ReactionTally } from "./chat/reactions";
import type { ReadCache } from "./shared/read-cache";
import type { RoomServices } from "./shared/room-services";
import type { StageEvents } from "./stage/stage-events";

/** What procedures, webhooks and the sweeper need besides the database (built by `createServices`, index.ts). */
export interface Services extends RoomServices {
  /** The database's liveness pool (`DatabaseHandle.liveness`; else `db`): the creator's heartbeat. */
  liveness: Database;
  events: StreamEvents;
  chat: ChatEvents;
  /** Follows and gifts, to each creator's studio (`stream.onActivity`). */
  activity: ActivityEvents;
  /** Each channel's moderation log entries, to its moderators (`moderation.onChange`). */
  moderation: ModerationEvents;
  /** Each user's new notifications (`notification.onNew`). */
  notifications: NotificationEvents;
  /** Invitations on stage and their withdrawal, to each invited user (`stage.onInvite`). */
  stage: StageEvents;
  /** Per-user limits kept in this process. */
  limits: { follow: RateLimiter; react: RateLimiter };
  /** Reactions gathered per channel, announced with their counts (`chat.react`). */
  reactions: ReactionTally;
  /** Channel views, live rooms, restrictions and sessions in memory, dropped as they change (read-cache.ts). */
  cache: ReadCache;
  /** Outside production: a creator may go live without video to try OnAir with no LiveKit (`goLive({ withoutVideo })`). */
  devBroadcasts: boolean;
}
