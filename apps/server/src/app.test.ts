import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestKit, TEST_PASSWORD, type SignedUp, type TestKit } from "@onair/api/testing";
import { stream, user } from "@onair/db";
import { createTestDatabase } from "@onair/db/testing";
import { buildApp } from "./app";
import { loadEnv } from "./env";
import { noWebDist, testEnv as baseEnv, TEST_PUBLIC_URL } from "./test/env";
import { freePort } from "./testing";

type App = Awaited<ReturnType<typeof buildApp>>;
type Res = Pick<LightMyRequestResponse, "statusCode" | "headers" | "body" | "json">;
/** What the /trpc tests send through: `app.inject()` (Fastify alone) or a listening server (the lane in front). */
interface Target {
  inject(options: { method: "GET" | "POST"; url: string; headers?: Record<string, string>; payload?: string }): Promise<Res>;
}

const PUBLIC_URL = TEST_PUBLIC_URL;

let kit: TestKit;
let app: App;
let creator: SignedUp;
let viewer: SignedUp;
let base: string;

/** The same app, listening: requests go over a socket, so the lane answers what it takes. */
const listeningTarget: Target = {
  async inject({ method, url, headers = {}, payload }) {
    const response = await fetch(`${base}${url}`, { method, headers, body: payload });
    const body = await response.text();
    return {
      statusCode: response.status,
      headers: Object.fromEntries(response.headers),
      body,
      json: () => JSON.parse(body) as unknown,
    } as Res;
  },
};

/** The shared test env, reaching the kit's LiveKit double. */
function testEnv(extra: Record<string, string> = {}) {
  return baseEnv({ LIVEKIT_API_URL: kit.livekit.apiUrl, ...extra });
}

beforeAll(async () => {
  kit = await createTestKit();
  app = await buildApp({ env: testEnv(), database: kit.handle });
  base = await app.listen({ port: 0, host: "127.0.0.1" });
  creator = await kit.makeCreator("studio");
  viewer = await kit.signUp({ username: "watcher" });
});
afterAll(async () => {
  await app?.close();
  await kit?.close();
});

const auth = (who: SignedUp | string) => ({ authorization: `Bearer ${typeof who === "string" ? who : who.token}` });
const encode = (value: unknown) => encodeURIComponent(JSON.stringify(value));

function trpcGet(target: Target, procedure: string, input?: unknown, headers: Record<string, string> = {}) {
  const query = input === undefined ? "" : `?input=${encode({ json: input })}`;
  return target.inject({ method: "GET", url: `/trpc/${procedure}${query}`, headers });
}
function trpcPost(target: Target, procedure: string, input?: unknown, headers: Record<string, string> = {}) {
  return target.inject({
    method: "POST",
    url: `/trpc/${procedure}`,
    headers: { "content-type": "application/json", ...headers },
    payload: JSON.stringify(input === undefined ? {} : { json: input }),
  });
}
const data = (res: Res) => res.json<{ result: { data: { json: unknown } } }>().result.data.json;
const failure = (res: Res) => res.json<{ error: { json: { message: string; data: { code: string; httpStatus: number } } } }>().error.json;

function postJson(target: App, url: string, body: unknown, headers: Record<string, string> = {}) {
  return target.inject({ method: "POST", url, headers: { "content-type": "application/json", ...headers }, payload: JSON.stringify(body) });
}
const signUpHttp = (target: App, username: string, headers: Record<string, string> = {}) =>
  postJson(
    target,
    "/api/auth/sign-up/email",
    { email: `${username}@example.com`, password: TEST_PASSWORD, name: username, username },
    headers,
  );

describe("/healthz", () => {
  it("answers 200 {status: ok} while the database answers, with LiveKit's reachability beside it", async () => {
    const res = await app.inject({ method: "GET", url: "/healthz" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ok", database: "ok", livekit: "reachable", bus: "postgres" });
  });

  it("stays 200 when LiveKit does not answer, says so, and answers in bounded time", async () => {
    const closed = await freePort();
    const other = await buildApp({ env: testEnv({ LIVEKIT_API_URL: `http://127.0.0.1:${closed}` }), database: kit.handle });
    try {
      const started = Date.now();
      const res = await other.inject({ method: "GET", url: "/healthz" });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: "ok", database: "ok", livekit: "unreachable", bus: "postgres" });
    } finally {
      await other.close();
    }
  });

  it("answers 503 once its database is closed", async () => {
    const handle = await createTestDatabase();
    const other = await buildApp({ env: testEnv(), database: handle });
    try {
      expect((await other.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
      await handle.close();
      const res = await other.inject({ method: "GET", url: "/healthz" });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: "unavailable", database: "unavailable", livekit: "reachable" });
    } finally {
      await other.close().catch(() => {});
    }
  });
});

describe("Better Auth over HTTP", () => {
  it("sign-up returns the user, a set-auth-token header and a session cookie", async () => {
    const res = await signUpHttp(app, "Http_Signup");
    expect(res.statusCode).toBe(200);
    expect(res.headers["set-auth-token"]).toEqual(expect.any(String));
    expect(String(res.headers["set-cookie"])).toMatch(/session_token=[^;]+;.*HttpOnly/i);
    expect(String(res.headers["set-cookie"])).toMatch(/SameSite=Lax/i);
    expect(res.json()).toMatchObject({ user: { username: "http_signup", email: "http_signup@example.com" } });
  });

  it("sign-up without a username or with a reserved one is a 400", async () => {
    const missing = await postJson(app, "/api/auth/sign-up/email", { email: "nouser@example.com", password: TEST_PASSWORD, name: "x" });
    expect(missing.statusCode).toBe(400);
    const reserved = await signUpHttp(app, "dashboard");
    expect(reserved.statusCode).toBe(400);
    expect(await kit.db.select().from(user).where(eq(user.email, "dashboard@example.com"))).toEqual([]);
  });

  it("sign-in by email and by username returns a token and a cookie; a wrong password is a 401", async () => {
    await signUpHttp(app, "http_signin");
    const byEmail = await postJson(app, "/api/auth/sign-in/email", { email: "http_signin@example.com", password: TEST_PASSWORD });
    const byName = await postJson(app, "/api/auth/sign-in/username", { username: "HTTP_SIGNIN", password: TEST_PASSWORD });
    for (const res of [byEmail, byName]) {
      expect(res.statusCode).toBe(200);
      expect(res.headers["set-auth-token"]).toEqual(expect.any(String));
      expect(String(res.headers["set-cookie"])).toMatch(/session_token=/);
    }
    const wrong = await postJson(app, "/api/auth/sign-in/email", { email: "http_signin@example.com", password: "not-the-password" });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers["set-auth-token"]).toBeUndefined();
  });

  it("the token works as Authorization: Bearer, and the cookie works too", async () => {
    const res = await signUpHttp(app, "both_ways");
    const token = String(res.headers["set-auth-token"]);
    const cookie = String(res.headers["set-cookie"]).split(";")[0]!;
    const session = await app.inject({ method: "GET", url: "/api/auth/get-session", headers: auth(token) });
    expect(session.json()).toMatchObject({ user: { username: "both_ways" } });

    const viaBearer = await trpcGet(app, "account.me", undefined, auth(token));
    expect(viaBearer.statusCode).toBe(200);
    expect(data(viaBearer)).toMatchObject({ username: "both_ways", role: "user", creatorStatus: "none" });
    const viaCookie = await trpcGet(app, "account.me", undefined, { cookie });
    expect(viaCookie.statusCode).toBe(200);
    expect(data(viaCookie)).toMatchObject({ username: "both_ways" });
  });
});

describe.each(["inject()", "a listening server (the lane in front)"])("/trpc over HTTP through %s", (transport) => {
  const target = (): Target => (transport === "inject()" ? app : listeningTarget);

  it("answers a query with the superjson envelope (dates survive)", async () => {
    const res = await trpcGet(target(), "stream.byUsername", { username: "STUDIO" });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ result: { data: { json: Record<string, unknown>; meta?: unknown } } }>();
    expect(body.result.data.json).toMatchObject({ username: "studio", isLive: false, title: expect.any(String) as string }); // the mutation test below retitles it
  });

  it("batches several calls in one request", async () => {
    const input = encode({ "0": { json: { username: "studio" } }, "2": { json: { limit: 5 } } });
    const res = await target().inject({
      method: "GET",
      url: `/trpc/stream.byUsername,account.me,stream.live?batch=1&input=${input}`,
      headers: auth(viewer),
    });
    expect(res.statusCode).toBe(200);
    const [channel, me, live] = res.json<{ result: { data: { json: Record<string, unknown> } } }[]>();
    expect(channel?.result.data.json).toMatchObject({ username: "studio" });
    expect(me?.result.data.json).toMatchObject({ username: "watcher" });
    expect(live?.result.data.json).toEqual({ items: [], nextCursor: null });
  });

  it("a batch with one failing call reports each call's own outcome (207)", async () => {
    const res = await target().inject({ method: "GET", url: `/trpc/stream.live,account.me?batch=1&input=${encode({})}` });
    expect(res.statusCode).toBe(207);
    const [live, me] = res.json<[{ result?: unknown }, { error?: { json: { data: { code: string } } } }]>();
    expect(live.result).toBeDefined();
    expect(me.error?.json.data.code).toBe("UNAUTHORIZED");
  });

  it("runs a mutation by POST with the bearer token", async () => {
    const res = await trpcPost(target(), "stream.upsert", { title: "Over HTTP" }, auth(creator));
    expect(res.statusCode).toBe(200);
    expect(data(res)).toMatchObject({ username: "studio", title: "Over HTTP" });
    expect((await kit.db.select().from(stream).where(eq(stream.userId, creator.user.id)))[0]?.title).toBe("Over HTTP");
  });

  it("answers 401 without a session and 403 for the wrong role", async () => {
    const anonymous = await trpcGet(target(), "account.me");
    expect(anonymous.statusCode).toBe(401);
    expect(failure(anonymous).data.code).toBe("UNAUTHORIZED");
    const forged = await trpcGet(target(), "account.me", undefined, auth("forged-token"));
    expect(forged.statusCode).toBe(401);

    const notCreator = await trpcPost(target(), "stream.upsert", { title: "Nope" }, auth(viewer));
    expect(notCreator.statusCode).toBe(403);
    expect(failure(notCreator).data.code).toBe("FORBIDDEN");
    const notAdmin = await trpcGet(target(), "admin.pendingCreators", undefined, auth(creator));
    expect(notAdmin.statusCode).toBe(403);
  });

  it("answers 404 for an unknown channel and for an unknown procedure", async () => {
    const channel = await trpcGet(target(), "stream.byUsername", { username: "nobody_at_all" });
    expect(channel.statusCode).toBe(404);
    expect(failure(channel).data.code).toBe("NOT_FOUND");
    const procedure = await trpcGet(target(), "stream.doesNotExist");
    expect(procedure.statusCode).toBe(404);
  });

  it("answers 400 for bad input, naming the field, with no stack trace, changing nothing", async () => {
    const before = await kit.db.select().from(stream).where(eq(stream.userId, creator.user.id));
    const res = await trpcPost(target(), "stream.upsert", { title: "" }, auth(creator));
    expect(res.statusCode).toBe(400);
    const error = failure(res);
    expect(error.data.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/^title: /);
    expect(res.body).not.toMatch(/"stack"|\.ts:\d+|at [\w.]+ \(/);
    expect(await kit.db.select().from(stream).where(eq(stream.userId, creator.user.id))).toEqual(before);

    const query = await trpcGet(target(), "stream.live", { limit: 1000 });
    expect(query.statusCode).toBe(400);
    expect(failure(query).message).toMatch(/^limit: /);
    expect(query.body).not.toContain('"stack"');
  });

  it("answers 400, not 500, for input that is not even JSON", async () => {
    const res = await target().inject({ method: "GET", url: "/trpc/stream.byUsername?input=%7Bnot-json" });
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain('"stack"');
  });
});

describe("sign-in rate limit", () => {
  let limited: App;
  beforeAll(async () => {
    limited = await buildApp({ env: testEnv({ AUTH_RATE_LIMIT: "3" }), database: kit.handle });
  });
  afterAll(async () => {
    await limited?.close();
  });

  it("answers 429 past AUTH_RATE_LIMIT attempts a minute from one address, and not to another", async () => {
    const attempt = (remoteAddress: string) =>
      limited.inject({
        method: "POST",
        url: "/api/auth/sign-in/email",
        remoteAddress,
        headers: { "content-type": "application/json" },
        payload: JSON.stringify({ email: "watcher@test.onair", password: "wrong-password-1" }),
      });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await attempt("10.0.0.1")).statusCode);
    expect(codes).toEqual([401, 401, 401, 429, 429]);
    const limitedRes = await attempt("10.0.0.1");
    expect(limitedRes.headers["retry-after"]).toBeDefined();
    expect((await attempt("10.0.0.2")).statusCode).toBe(401);

    // Other auth endpoints are not limited, even for the throttled address.
    const session = await limited.inject({ method: "GET", url: "/api/auth/get-session", remoteAddress: "10.0.0.1", headers: auth(viewer) });
    expect(session.statusCode).toBe(200);
  });

  it("counts sign-ups too", async () => {
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await limited.inject({
        method: "POST",
        url: "/api/auth/sign-up/email",
        remoteAddress: "10.0.0.3",
        headers: { "content-type": "application/json" },
        payload: JSON.stringify({ email: `rl${i}@example.com`, password: TEST_PASSWORD, name: "rl", username: `ratelimited_${i}` }),
      });
      codes.push(res.statusCode);
    }
    expect(codes).toEqual([200, 200, 200, 429]);
    expect(await kit.db.select().from(user).where(eq(user.email, "rl3@example.com"))).toEqual([]);
  });
});

describe("CORS", () => {
  const preflight = (origin: string) =>
    app.inject({
      method: "OPTIONS",
      url: "/trpc/account.me",
      headers: { origin, "access-control-request-method": "GET", "access-control-request-headers": "authorization" },
    });

  it("allows PUBLIC_URL with credentials and exposes set-auth-token", async () => {
    const res = await preflight(PUBLIC_URL);
    expect(res.statusCode).toBeLessThan(300);
    expect(res.headers["access-control-allow-origin"]).toBe(PUBLIC_URL);
    expect(res.headers["access-control-allow-credentials"]).toBe("true");
    const get = await trpcGet(app, "stream.live", undefined, { origin: PUBLIC_URL });
    expect(get.headers["access-control-allow-origin"]).toBe(PUBLIC_URL);
    expect(String(get.headers["access-control-expose-headers"])).toContain("set-auth-token");
  });

  it("gives other origins no CORS grant", async () => {
    for (const origin of ["https://evil.example", "http://localhost:3001", "null"]) {
      const res = await preflight(origin);
      expect(res.headers["access-control-allow-origin"], origin).toBeUndefined();
      const get = await trpcGet(app, "stream.live", undefined, { origin });
      expect(get.headers["access-control-allow-origin"], origin).toBeUndefined();
    }
  });

  it("Better Auth refuses a cookie sign-in posted from an untrusted origin", async () => {
    await signUpHttp(app, "origin_check");
    const res = await postJson(
      app,
      "/api/auth/sign-in/email",
      { email: "origin_check@example.com", password: TEST_PASSWORD },
      { origin: "https://evil.example", cookie: "better-auth.session_token=x" },
    );
    expect(res.statusCode).toBe(403);
    expect(res.headers["set-auth-token"]).toBeUndefined();
    const trusted = await postJson(
      app,
      "/api/auth/sign-in/email",
      { email: "origin_check@example.com", password: TEST_PASSWORD },
      { origin: PUBLIC_URL, cookie: "better-auth.session_token=x" },
    );
    expect(trusted.statusCode).toBe(200);
  });

  it("TRUSTED_ORIGINS adds origins", async () => {
    const other = await buildApp({ env: testEnv({ TRUSTED_ORIGINS: "https://admin.example" }), database: kit.handle });
    try {
      const res = await other.inject({
        method: "OPTIONS",
        url: "/trpc/account.me",
        headers: { origin: "https://admin.example", "access-control-request-method": "POST" },
      });
      expect(res.headers["access-control-allow-origin"]).toBe("https://admin.example");
    } finally {
      await other.close();
    }
  });
});

describe("security headers", () => {
  it("sets CSP, nosniff, frame and referrer policies, and hides the server", async () => {
    const res = await app.inject({ method: "GET", url: "/healthz" });
    const csp = String(res.headers["content-security-policy"]);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/connect-src 'self' ws:\/\/livekit\.test:7880|connect-src 'self' ws:\/\/localhost:7880/);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["x-frame-options"]).toBe("SAMEORIGIN");
    expect(res.headers["referrer-policy"]).toBe("no-referrer");
    expect(res.headers["x-powered-by"]).toBeUndefined();
    expect(res.headers["strict-transport-security"]).toBeUndefined();
  });

  it("adds HSTS and upgrade-insecure-requests in production", async () => {
    const env = loadEnv({
      NODE_ENV: "production",
      PUBLIC_URL: "https://onair.example",
      BETTER_AUTH_SECRET: "a-production-secret-that-is-long-enough-0123456789",
      LIVEKIT_URL: "wss://livekit.example",
      LIVEKIT_API_KEY: "prod-key",
      LIVEKIT_API_SECRET: "prod-livekit-secret-0123456789abcdef",
      SWEEP_INTERVAL_MS: "0",
      WEB_DIST: noWebDist,
    });
    const prod = await buildApp({ env, database: kit.handle });
    try {
      const res = await prod.inject({ method: "GET", url: "/healthz" });
      expect(res.headers["strict-transport-security"]).toMatch(/max-age=\d+/);
      expect(String(res.headers["content-security-policy"])).toContain("upgrade-insecure-requests");
      expect(String(res.headers["content-security-policy"])).toContain("wss://livekit.example");
    } finally {
      await prod.close();
    }
  });
});

describe("routes outside the API", () => {
  it("answers 404 JSON for an unknown /api path, whatever the method", async () => {
    for (const method of ["GET", "POST"] as const) {
      const res = await app.inject({ method, url: "/api/nothing-here?x=1" });
      expect(res.statusCode, method).toBe(404);
      expect(res.headers["content-type"]).toMatch(/application\/json/);
      expect(res.json()).toMatchObject({ error: "Not Found", message: expect.stringContaining("/api/nothing-here") as string });
    }
  });

  it("answers 503 text for a page while the web app is not built", async () => {
    const res = await app.inject({ method: "GET", url: "/studio" });
    expect(res.statusCode).toBe(503);
    expect(res.headers["content-type"]).toMatch(/text\/plain/);
    expect(res.body).toMatch(/not built/);
  });

  describe("with a built web app (WEB_DIST)", () => {
    let dist: string;
    let web: App;
    beforeAll(async () => {
      const root = mkdtempSync(path.join(tmpdir(), "onair-web-"));
      writeFileSync(path.join(root, "secret.txt"), "TOP-SECRET-OUTSIDE-DIST");
      dist = path.join(root, "dist");
      mkdirSync(dist);
      writeFileSync(path.join(dist, "index.html"), "<!doctype html><title>OnAir test shell</title>");
      mkdirSync(path.join(dist, "assets"));
      writeFileSync(path.join(dist, "assets", "app-abc123.js"), "console.log('app')");
      web = await buildApp({ env: testEnv({ WEB_DIST: dist }), database: kit.handle });
    });
    afterAll(async () => {
      await web?.close();
      rmSync(path.dirname(dist), { recursive: true, force: true });
    });

    it("serves index.html for / and for any client-side route, uncached", async () => {
      for (const url of ["/", "/studio", "/dashboard/settings", "/alice?tab=chat"]) {
        const res = await web.inject({ method: "GET", url });
        expect(res.statusCode, url).toBe(200);
        expect(res.headers["content-type"], url).toMatch(/text\/html/);
        expect(res.body, url).toContain("OnAir test shell");
        expect(res.headers["cache-control"], url).toBe("no-cache");
      }
    });

    it("serves fingerprinted assets with a long cache, and 404s a missing file", async () => {
      const asset = await web.inject({ method: "GET", url: "/assets/app-abc123.js" });
      expect(asset.statusCode).toBe(200);
      expect(asset.body).toBe("console.log('app')");
      expect(asset.headers["cache-control"]).toContain("immutable");
      expect((await web.inject({ method: "GET", url: "/assets/missing.js" })).statusCode).toBe(404);
    });

    it("serves nothing outside WEB_DIST", async () => {
      for (const url of ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/assets/..%2f..%2fsecret.txt"]) {
        const res = await web.inject({ method: "GET", url });
        expect(res.body, url).not.toContain("TOP-SECRET");
      }
    });

    it("an old viewer link /:username/live is a 301 to /:username (query kept)", async () => {
      const res = await web.inject({ method: "GET", url: "/Alice_1/live?ref=old" });
      expect(res.statusCode).toBe(301);
      expect(res.headers.location).toBe("/Alice_1?ref=old");
      expect((await web.inject({ method: "GET", url: "/alice/live/" })).headers.location).toBe("/alice");
      expect((await web.inject({ method: "GET", url: "/alice/livestream" })).statusCode).toBe(200); // the app's own 404
    });

    it("still answers 404 JSON for unknown API paths", async () => {
      const res = await web.inject({ method: "GET", url: "/api/unknown" });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: "Not Found" });
    });
  });
});
