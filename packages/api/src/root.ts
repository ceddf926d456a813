import { accountRouter } from "./router/account";
import { adminRouter } from "./router/admin";
import { chatRouter } from "./router/chat";
import { creatorRouter } from "./router/creator";
import { followRouter } from "./router/follow";
import { giftRouter } from "./router/gift";
import { ingressRouter } from "./router/ingress";
import { moderationRouter } from "./router/moderation";
import { notificationRouter } from "./router/notification";
import { streamRouter } from "./router/stream";
import { walletRouter } from "./router/wallet";
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
  notification: notificationRouter,
  stream: streamRouter,
  wallet: walletRouter,
});

export type AppRouter = typeof appRouter;
