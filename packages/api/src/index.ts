import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root";

export { appRouter, type AppRouter } from "./root";
export { createTRPCContext, type Context, type CreateContextOptions } from "./context";
export { createCallerFactory } from "./trpc";
export type { PublicStream } from "./services/streams";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export { createServices, endSubscriptions, stopServices, silentLogger, type Services, type CreateServicesOptions } from "./services";
export { Fanout, STREAM_CHANNEL, type StreamEvents } from "./services/events";
export { postChatEntry } from "./services/chat";
export { CHAT_CHANNEL, type ChatEvent, type ChatMessage } from "./services/chat-bus";
export type { ActivityEvent } from "./services/activity";
export type { ModerationEntry } from "./services/moderation-log";
export type { Reaction, ReactionsEvent } from "./services/reactions";
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
export { reconcileViewerCounts, sweepBroadcasts, HEARTBEAT_TIMEOUT_SECONDS, LEFT_GRACE_SECONDS } from "./services/broadcasts";
export { createSweeper, forgiveOutage, type Sweeper } from "./services/sweeper";
export { applyLiveKitWebhook, type WebhookOutcome } from "./services/webhooks";
export { createAlertWorker, type AlertWorker } from "./services/alert-worker";
export { unsubscribeByToken, unsubscribeToken, UNSUBSCRIBE_PATH, type AlertMail } from "./services/alert-mail";
