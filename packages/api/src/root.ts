import { accountRouter } from "./router/account";
import { adminRouter } from "./router/admin";
import { chatRouter } from "./router/chat";
import { creatorRouter } from "./router/creator";
import { followRouter } from "./router/follow";
import { giftRouter } from "./router/gift";
import { ingressRouter } from "./router/ingress";
import { moderationRouter } from "./router/moderation";
import { createMuxRouter } from "./router/mux";
import { notificationRouter } from "./router/notification";
import { stageRouter } from "./router/stage";
import { streamRouter } from "./router/stream";
import { walletRouter } from "./router/wallet";
import type { AnyTRPCRouter } from "@trpc/server";
import { createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  account: accountRouter,
  admin: adminRouter,
  chat: chatRouter,
  creator: creatorRouter,
  follow: followRouter,
  gift: giftRouter,
  ingress: ingressRouter,
  moderation: moderationRouter,
  /** Every subscription of a browser tab on one stream (router/mux.ts). */
  mux: createMuxRouter((): AnyTRPCRouter => appRouter),
  notification: notificationRouter,
  stage: stageRouter,
  stream: streamRouter,
  wallet: walletRouter,
});

export type AppRouter = typeof appRouter;
