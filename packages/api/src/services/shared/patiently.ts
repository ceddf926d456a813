import { setTimeout as pause } from "node:timers/promises";
import { TRPCError } from "@trpc/server";

/** How long a stream catching up after an outage keeps trying to read before it gives up. */
export const CATCH_UP_PATIENCE_MS = 30_000;

/**
 * `read()`, tried again while the database does not answer (0.25 s apart, then up to 2 s), for up to
 * `patienceMs`: a stream catching up right after the bus came back rides out the tail of an outage
 * (or the next one) instead of ending with an error. A `TRPCError` is an answer, never retried.
 */
export async function patiently<T>(read: () => Promise<T>, signal: AbortSignal | undefined, patienceMs = CATCH_UP_PATIENCE_MS): Promise<T> {
  const deadline = Date.now() + patienceMs;
  for (let wait = 250; ; wait = Math.min(wait * 2, 2_000)) {
    try {
      return await read();
    } catch (error) {
      if (error instanceof TRPCError || signal?.aborted || Date.now() + wait > deadline) throw error;
      await pause(wait, undefined, signal ? { signal } : undefined);
    }
  }
}
