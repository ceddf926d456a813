import { describe, expect, it } from "vitest";
import type { AuthSession } from "@onair/auth";
import { KeyedCache } from "./cache";
import { SessionCache } from "./session-cache";

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe("KeyedCache", () => {
  it("serves a value until its TTL runs out, then loads again", async () => {
    let now = 1000;
    const cache = new KeyedCache<number>({ ttlMs: 50, maxEntries: 10, now: () => now });
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get("k", load)).toBe(1);
    now += 49;
    expect(await cache.get("k", load)).toBe(1);
    now += 1;
    expect(await cache.get("k", load)).toBe(2);
    expect(cache.peek("k")).toBe(2);
  });

  it("shares one load among concurrent callers", async () => {
    const cache = new KeyedCache<string>({ ttlMs: 1000, maxEntries: 10 });
    const gate = deferred<string>();
    let loads = 0;
    const load = () => (loads++, gate.promise);
    const all = Promise.all([cache.get("k", load), cache.get("k", load), cache.get("k", load)]);
    gate.resolve("v");
    expect(await all).toEqual(["v", "v", "v"]);
    expect(loads).toBe(1);
  });

  it("never stores what a load read before an invalidation", async () => {
    const cache = new KeyedCache<string>({ ttlMs: 1000, maxEntries: 10 });
    const stale = deferred<string>();
    const first = cache.get("k", () => stale.promise);
    cache.invalidate("k");
    const fresh = cache.get("k", async () => "new");
    stale.resolve("old");
    expect(await first).toBe("old"); // the caller that asked before the change
    expect(await fresh).toBe("new");
    expect(await cache.get("k", async () => "reloaded")).toBe("new");
  });

  it("keeps no errors and nothing `keep` refuses", async () => {
    const cache = new KeyedCache<string | null>({ ttlMs: 1000, maxEntries: 10, keep: (value) => value !== null });
    await expect(cache.get("e", async () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await cache.get("e", async () => "up")).toBe("up");
    expect(await cache.get("n", async () => null)).toBeNull();
    expect(cache.peek("n")).toBeUndefined();
  });

  it("drops the oldest entry at maxEntries", async () => {
    const cache = new KeyedCache<number>({ ttlMs: 1000, maxEntries: 2 });
    for (const [key, value] of [
      ["a", 1],
      ["b", 2],
      ["c", 3],
    ] as const)
      await cache.get(key, async () => value);
    expect([cache.peek("a"), cache.peek("b"), cache.peek("c"), cache.size]).toEqual([undefined, 2, 3, 2]);
  });

  it("invalidateWhere drops the matching entries and every load under way", async () => {
    const cache = new KeyedCache<{ owner: string }>({ ttlMs: 1000, maxEntries: 10 });
    await cache.get("a", async () => ({ owner: "u1" }));
    await cache.get("b", async () => ({ owner: "u2" }));
    const pending = deferred<{ owner: string }>();
    const inFlight = cache.get("c", () => pending.promise);
    cache.invalidateWhere((value) => value.owner === "u1");
    pending.resolve({ owner: "u1" });
    await inFlight;
    expect([cache.peek("a"), cache.peek("b"), cache.peek("c")]).toEqual([undefined, { owner: "u2" }, undefined]);
  });
});

const session = (userId: string, expiresInMs = 60_000) =>
  ({
    session: { id: `s-${userId}`, userId, expiresAt: new Date(Date.now() + expiresInMs) },
    user: { id: userId },
  }) as unknown as AuthSession;

describe("SessionCache", () => {
  it("answers a request without a bearer token or session cookie with null, without asking Better Auth", async () => {
    const cache = new SessionCache({ ttlMs: 1000 });
    const load = async () => {
      throw new Error("must not be called");
    };
    expect(await cache.get(new Headers(), load)).toBeNull();
    expect(await cache.get(new Headers({ cookie: "theme=dark; other=1" }), load)).toBeNull();
  });

  it("looks each credential up once, then serves it from memory", async () => {
    const cache = new SessionCache({ ttlMs: 1000 });
    const seen: string[] = [];
    const lookup = (headers: Headers, userId: string) => cache.get(headers, async () => (seen.push(userId), session(userId)));
    const a = new Headers({ authorization: "Bearer aaa" });
    const b = new Headers({ cookie: "better-auth.session_token=bbb.sig" });
    await lookup(a, "u1");
    await lookup(a, "u1");
    await lookup(b, "u2");
    await lookup(b, "u2");
    expect(seen).toEqual(["u1", "u2"]);
    expect((await lookup(a, "u1"))?.user.id).toBe("u1");
  });

  it("forgets a user's sessions at once (sign-out), and only that user's", async () => {
    const cache = new SessionCache({ ttlMs: 60_000 });
    const seen: string[] = [];
    const lookup = (token: string, userId: string) =>
      cache.get(new Headers({ authorization: `Bearer ${token}` }), async () => (seen.push(token), session(userId)));
    await Promise.all([lookup("t1", "u1"), lookup("t2", "u1"), lookup("t3", "u2")]);
    cache.invalidateUser("u1");
    await Promise.all([lookup("t1", "u1"), lookup("t2", "u1"), lookup("t3", "u2")]);
    expect(seen.sort()).toEqual(["t1", "t1", "t2", "t2", "t3"]);
  });

  it("never serves a session past its expiry, and keeps no 'no session'", async () => {
    const cache = new SessionCache({ ttlMs: 60_000 });
    const headers = new Headers({ authorization: "Bearer short" });
    let loads = 0;
    await cache.get(headers, async () => (loads++, session("u1", -1)));
    await cache.get(headers, async () => (loads++, null));
    await cache.get(headers, async () => (loads++, null));
    expect(loads).toBe(3);
  });
});
