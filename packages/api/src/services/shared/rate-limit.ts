import { TRPCError } from "@trpc/server";
import { RetryAfter } from "../chat/chat-rules";

/**
 * At most `limit` actions per key in any `windowMs` (a sliding log per key, in this process's memory:
 * each instance bounds what one client can do through it). Keys fall away once their window is empty.
 */
export class RateLimiter {
  private readonly log = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one action for `key`, or throws TOO_MANY_REQUESTS (with the wait) and counts nothing. */
  take(key: string, what: string): void {
    const now = this.now();
    const recent = (this.log.get(key) ?? []).filter((at) => at > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.log.set(key, recent);
      const seconds = Math.max(1, Math.ceil((recent[0]! + this.windowMs - now) / 1000));
      throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: `Too many ${what}: wait ${seconds} s`, cause: new RetryAfter(seconds) });
    }
    recent.push(now);
    this.log.set(key, recent);
    if (this.log.size > 10_000) this.prune(now);
  }

  private prune(now: number) {
    for (const [key, times] of this.log) if (times[times.length - 1]! <= now - this.windowMs) this.log.delete(key);
  }
}
