import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root";

export { appRouter, type AppRouter } from "./root";
export { createTRPCContext, type Context, type CreateContextOptions } from "./context";
export { createCallerFactory } from "./trpc";
export type { PublicStream } from "./services/live/streams";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export { createServices, endSubscriptions, stopServices, silentLogger, type Services, type CreateServicesOptions } from "./services";
export { Fanout, STREAM_CHANNEL, type StreamEvents } from "./services/shared/events";
export {
  directRuns,
  Handover,
  isLiveStream,
  WITH_HANDOVERS,
  type DirectRunStats,
  type DirectSink,
  type Entry,
} from "./services/shared/direct";
export { postChatEntry } from "./services/chat/chat";
export { CHAT_CHANNEL, type ChatEvent, type ChatMessage } from "./services/chat/chat-bus";
export type { ActivityEvent } from "./services/audience/activity";
export type { ModerationEntry } from "./services/moderation/moderation-log";
export type { Reaction, ReactionsEvent } from "./services/chat/reactions";
export {
  cachedLiveKitProbe,
  createLiveKitRooms,
  probeLiveKit,
  TOKEN_TTL_SECONDS,
  type LiveKitConfig,
  type LiveKitReachability,
  type LiveKitRooms,
  type Logger,
} from "./services/livekit";
export { reconcileViewerCounts, sweepBroadcasts, HEARTBEAT_TIMEOUT_SECONDS, LEFT_GRACE_SECONDS } from "./services/live/broadcasts";
export { createSweeper, forgiveOutage, type Sweeper } from "./services/live/sweeper";
export { applyLiveKitWebhook, type WebhookOutcome } from "./services/ingress/webhooks";
export { createAlertWorker, type AlertWorker } from "./services/audience/alert-worker";
export { unsubscribeByToken, unsubscribeToken, UNSUBSCRIBE_PATH, type AlertMail } from "./services/audience/alert-mail";
