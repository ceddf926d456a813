import { accountRouter } from "./router/account";
import { adminRouter } from "./router/admin";
import { chatRouter } from "./router/chat";
import { creatorRouter } from "./router/creator";
import { followRouter } from "./router/follow";
import { moderationRouter } from "./router/moderation";
import { streamRouter } from "./router/stream";
import { createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  account: accountRouter,
  admin: adminRouter,
  chat: chatRouter,
  creator: creatorRouter,
  follow: followRouter,
  moderation: moderationRouter,
  stream: streamRouter,
});

export type AppRouter = typeof appRouter;
