import { accountRouter } from "./router/account";
import { adminRouter } from "./router/admin";
import { creatorRouter } from "./router/creator";
import { streamRouter } from "./router/stream";
import { createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  account: accountRouter,
  admin: adminRouter,
  creator: creatorRouter,
  stream: streamRouter,
});

export type AppRouter = typeof appRouter;
