import { isTrackedEnvelope, type TrackedData } from "@trpc/server/unstable-core-do-not-import";
import { createTRPCContext } from "../context";
import { appRouter } from "../root";
import { createCallerFactory } from "../trpc";
import type { Caller, TestKit } from "./helpers";

const createCaller = createCallerFactory(appRouter);

/** Polls `check` until it returns something truthy (a generous deadline: CI is a busy 2-core machine). */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface Subscription<T> {
  /** Everything received so far, in order. */
  received: T[];
  /** The first value `match` picks, waiting for it. */
  next(match: (value: T) => boolean, what: string): Promise<T>;
  /** Rejects with the subscription's error (e.g. FORBIDDEN), or resolves when it ends. */
  ended: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs a subscription procedure as `headers` (a guest without) and collects what it yields (`tracked()`
 * values unwrapped), until `stop()`.
 */
export function subscribe<T>(
  kit: TestKit,
  headers: Headers | undefined,
  start: (caller: Caller) => Promise<AsyncIterable<T | TrackedData<T> | symbol>>,
): Subscription<T> {
  const controller = new AbortController();
  const context = createTRPCContext({ headers: headers ?? new Headers(), db: kit.db, auth: kit.auth, services: kit.services });
  const caller = createCaller(context, { signal: controller.signal });
  const received: T[] = [];
  const ended = (async () => {
    for await (const value of await start(caller)) {
      if (typeof value !== "symbol") received.push(isTrackedEnvelope(value) ? (value[1] as T) : (value as T));
    }
  })();
  ended.catch(() => {}); // observed through `ended`
  return {
    received,
    next: (match, what) => waitFor(() => received.find(match), what),
    ended,
    async stop() {
      controller.abort();
      await ended.catch(() => {});
    },
  };
}
