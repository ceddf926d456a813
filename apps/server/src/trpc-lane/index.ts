import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import type { AnyRouter } from "@trpc/server";
import type { FastifyBaseLogger } from "fastify";
import type { SubscriptionLimit } from "./subscription-limit";
import { createFastLane, type FastLane } from "./lane";
import { createFastTRPC, type FastTRPCOptions } from "./trpc";

/**
 * The tRPC fast lane: plain tRPC queries, mutations and SSE subscriptions answered straight from
 * node:http in front of Fastify (lane.ts), through the router's own procedures (trpc.ts, invoke.ts,
 * request.ts, sse.ts), byte for byte as tRPC's official Fastify adapter answers them
 * (conformance.test.ts, sse-conformance.test.ts). This file is its one entry point.
 */

export { laneServerFactory } from "./server";

export interface TRPCLaneOptions<TRouter extends AnyRouter> {
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

export function createTRPCLane<TRouter extends AnyRouter>({ router, createContext, onError, ...lane }: TRPCLaneOptions<TRouter>): TRPCLane {
  return createFastLane({ ...lane, trpc: createFastTRPC({ router, createContext, onError }) });
}

export type TRPCLane = FastLane;

/** Why the lane does not serve tRPC, or null when it does. */
export function laneOffReason({ setting, securityHeaders }: { setting: "on" | "off"; securityHeaders: unknown }): string | null {
  if (setting === "off") return "TRPC_FAST_LANE=off";
  if (!securityHeaders) return "the helmet options are not static (the lane sends fixed security headers)";
  return null;
}
