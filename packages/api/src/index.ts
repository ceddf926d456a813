import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root";

export { appRouter, type AppRouter } from "./root";
export { createTRPCContext, type Context, type CreateContextOptions } from "./context";
export { createCallerFactory } from "./trpc";
export type { PublicStream } from "./services/streams";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
