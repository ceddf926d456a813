import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import type { AnyRouter } from "@trpc/server";
import type { FastifyBaseLogger } from "fastify";
import type { SubscriptionLimit } from "./subscription-limit";
import { createHttpLane, type HttpLane } from "./lane";
import { createFastTRPC, type FastTRPCOptions } from "./trpc";

/**
 * The tRPC fast lane: plain tRPC queries, mutations and SSE subscriptions answered straight from
 * node:http in front of Fastify (lane.ts), through the router's own procedures (trpc.ts, invoke.ts,
 * request.ts, sse.ts), byte for byte as tRPC's official Fastify adapter answers them
 * (conformance.test.ts, sse-conformance.test.ts). This file is its one entry point; README.md says
 * what it copies from tRPC and how the tests keep it honest.
 */

export { laneServerFactory } from "./server";
// The rules the fast lane and Fastify's /trpc route both enforce (each path must hold them alike).
export { canonicalJsonContentType, MAX_BATCH, refusalAnswer, trpcRefusal, type Refusal } from "./trpc-guard";
export { closedWithin, STREAM_END_GRACE_MS } from "./closed-within";
export { createSubscriptionLimit, type SubscriptionLimit } from "./subscription-limit";

export interface FastLaneOptions<TRouter extends AnyRouter> {
  router: TRouter;
  createContext: (headers: IncomingHttpHeaders) => unknown;
  onError?: FastTRPCOptions<TRouter>["onError"];
  /** e.g. "/trpc/" */
  prefix: string;
  /** The security headers every response carries (security-headers.ts). */
  securityHeaders: [string, string][];
  /** Origins trusted for CORS and cookie-authenticated mutations. */
  origins: string[];
  log: FastifyBaseLogger;
  subscriptions: SubscriptionLimit;
  clientIp: (request: IncomingMessage) => string;
}

export function createFastLane<TRouter extends AnyRouter>({ router, createContext, onError, ...lane }: FastLaneOptions<TRouter>): FastLane {
  return createHttpLane({ ...lane, trpc: createFastTRPC({ router, createContext, onError }) });
}

export type FastLane = HttpLane;

/** Why the lane does not serve tRPC, or null when it does. */
export function laneOffReason({ setting, securityHeaders }: { setting: "on" | "off"; securityHeaders: unknown }): string | null {
  if (setting === "off") return "TRPC_FAST_LANE=off";
  if (!securityHeaders) return "the helmet options are not static (the lane sends fixed security headers)";
  return null;
}
