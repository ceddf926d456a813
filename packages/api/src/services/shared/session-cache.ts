import type { AuthSession } from "@onair/auth";
import { KeyedCache } from "./cache";

/**
 * Better Auth session lookups, remembered briefly per credential (the `Authorization` header and the
 * `cookie` header). A request with neither a bearer token nor a session cookie has no session, and
 * Better Auth is not asked. Entries never outlive their session's `expiresAt`; `invalidateUser` (sign-out,
 * revoked sessions, a changed or deleted account: see `publishSessionChange`) drops a user's entries
 * and any lookup under way. Only found sessions are kept.
 */
export class SessionCache {
  private readonly cache: KeyedCache<AuthSession | null>;

  constructor(options: { ttlMs: number; maxEntries?: number; now?: () => number }) {
    this.cache = new KeyedCache({
      ttlMs: options.ttlMs,
      maxEntries: options.maxEntries ?? 50_000,
      keep: (value) => value !== null,
      now: options.now,
    });
  }

  get size(): number {
    return this.cache.size;
  }

  get(headers: Headers, load: () => Promise<AuthSession | null>): Promise<AuthSession | null> {
    const authorization = headers.get("authorization");
    const cookie = headers.get("cookie");
    if (!authorization && !cookie?.includes("session_token")) return Promise.resolve(null);
    const key = `${authorization ?? ""}\n${cookie ?? ""}`;
    const hit = this.cache.peek(key);
    if (hit && new Date(hit.session.expiresAt).getTime() <= Date.now()) this.cache.invalidate(key);
    return this.cache.get(key, load);
  }

  invalidateUser(userId: string): void {
    this.cache.invalidateWhere((value) => value?.user.id === userId);
  }

  clear(): void {
    this.cache.clear();
  }
}
