import type { AnyTRPCRouter } from "@trpc/server";
import { z } from "zod";
import { MAX_MULTIPLEXED, multiplex } from "../services/shared/multiplex";
import { createTRPCRouter, publicProcedure } from "../trpc";

const subscription = z.object({
  key: z.string().min(1).max(40),
  path: z.string().min(1).max(100),
  input: z.unknown().optional(),
});

/**
 * Several subscriptions on one SSE stream. A browser has only six HTTP/1.1 connections per host
 * and each SSE stream holds one: a creator's studio and channel page, side by side, would take them
 * all. The web app sends every subscription of a tab through here; each runs exactly as it would
 * alone (its own middlewares decide who may), so nothing is allowed here that is refused there.
 */
export function createMuxRouter(router: () => AnyTRPCRouter) {
  return createTRPCRouter({
    /**
     * `{ subscriptions: [{ key, path, input }] }` → each one's events tagged with its `key`
     * (`{ key, kind: "data" | "error" | "done" }`); resume all of them with `lastEventId`.
     */
    onMany: publicProcedure
      .input(
        z.object({
          subscriptions: z
            .array(subscription)
            .min(1)
            .max(MAX_MULTIPLEXED)
            .refine((list) => new Set(list.map((s) => s.key)).size === list.length, "each key once"),
          lastEventId: z.string().max(8_000).nullish(),
        }),
      )
      .subscription(({ ctx, input, signal }) =>
        multiplex({ router: router(), ctx, subscriptions: input.subscriptions, lastEventId: input.lastEventId, signal }),
      ),
  });
}
