import { QueryClient } from "@tanstack/react-query";
import { httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { createTRPCReact } from "@trpc/react-query";
import superjson from "superjson";
import type { AppRouter } from "@onair/api";
import { multiplexLink } from "@onair/client/multiplex";
import { errorCode } from "./errors";

export const trpc = createTRPCReact<AppRouter>();

/** The server's batch cap (CONTRACT.md: at most 16 calls a batch). */
export const MAX_BATCH = 16;

/** Same origin: the session cookie goes along with every call. */
export function createTrpcClient() {
  return trpc.createClient({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        // Every subscription of the page on one SSE stream (packages/client/src/multiplex-link.ts).
        true: multiplexLink({ transport: httpSubscriptionLink({ url: "/trpc", transformer: superjson }) }),
        // The server takes at most 16 calls a batch (a larger one is a 400): split at that.
        false: httpBatchLink({ url: "/trpc", transformer: superjson, maxItems: MAX_BATCH }),
      }),
    ],
  });
}

const NO_RETRY = new Set(["UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "BAD_REQUEST", "CONFLICT", "TOO_MANY_REQUESTS"]);

/** Whether to try again: network failures and server errors, not an answer the server meant (4xx). */
export const retryable = (error: unknown) => !NO_RETRY.has(errorCode(error) ?? "");

export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        // Retrying an answer the server meant (4xx) only delays the error state.
        retry: (failures, error) => retryable(error) && failures < 2,
      },
    },
  });
}
