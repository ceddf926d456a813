import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_IP_HEADER, createAuth } from "@onair/auth";
import { createTestKit, TEST_PASSWORD, TEST_SECRET, type TestKit } from "@onair/api/testing";
import { buildApp } from "./app";
import { testEnv } from "./test/env";

/** The per-IP limit on password checks: every spelling of the path counts; which IP is the client's (TRUST_PROXY). */

type App = Awaited<ReturnType<typeof buildApp>>;
const LIMIT = 3;

let kit: TestKit;
const apps: App[] = [];

async function appWith(extra: Record<string, string> = {}) {
  const env = testEnv({ AUTH_RATE_LIMIT: String(LIMIT), ...extra });
  const app = await buildApp({ env, database: kit.handle });
  apps.push(app);
  return app;
}

beforeAll(async () => {
  kit = await createTestKit();
  await kit.signUp({ username: "victim", email: "victim@example.com" });
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await kit?.close();
});

let addresses = 0;
/** A client address no other test has used (each has its own budget). */
const freshAddress = () => `10.1.${Math.floor(++addresses / 250)}.${addresses % 250}`;

const wrongPassword = JSON.stringify({ email: "victim@example.com", password: "wrong-password-1" });
/** No password: Better Auth refuses it (400) without hashing, so the limit is tested fast; it counts all the same. */
const noPassword = JSON.stringify({ email: "victim@example.com" });
function post(app: App, url: string, remoteAddress: string, headers: Record<string, string> = {}, payload = noPassword) {
  return app.inject({ method: "POST", url, remoteAddress, headers: { "content-type": "application/json", ...headers }, payload });
}

describe("the password-check limit, whatever the spelling of the path", () => {
  let app: App;
  beforeAll(async () => {
    app = await appWith();
  });

  const spellings = [
    "/api/auth/./sign-in/email",
    "/api/auth/x/../sign-in/email",
    "/api/auth/x/../sign-up/email",
    "/api/auth/%2e/sign-in/email",
    "/api/auth/x/%2E%2E/sign-in/email",
    "/api/auth/x/%2e%2e/sign-up/email",
    "/api/auth//sign-in/email",
    "/api/auth/sign-in//email",
    "/api/auth/sign-in/email/",
    "/api/auth/sign-in/email//",
    "/api/auth/SIGN-IN/email",
    "/api/auth/Sign-Up/Email",
    "/api/auth/sign-in/%65mail",
    "/api/auth/x%2F..%2Fsign-in/email",
    "/api/auth/sign-in/username/",
  ];

  it.each(spellings)("%s is refused once the address has used its budget on the plain path", async (spelling) => {
    const address = freshAddress();
    for (let i = 0; i < LIMIT; i++) expect((await post(app, "/api/auth/sign-in/email", address)).statusCode).toBe(400);
    const res = await post(app, spelling, address);
    expect(res.statusCode).toBe(429);
    expect(res.headers["retry-after"]).toBeDefined();
  });

  it.each(spellings)("%s spends the same budget as the plain path", async (spelling) => {
    const address = freshAddress();
    for (let i = 0; i < LIMIT; i++) expect((await post(app, spelling, address)).statusCode).not.toBe(429);
    expect((await post(app, "/api/auth/sign-in/email", address)).statusCode).toBe(429);
    expect((await post(app, "/api/auth/sign-up/email", address)).statusCode).toBe(429);
  });

  it("dot segments reach the endpoint they name (so the limit above is what guards them)", async () => {
    const address = freshAddress();
    expect((await post(app, "/api/auth/./sign-in/email", address, {}, wrongPassword)).statusCode).toBe(401);
    const right = JSON.stringify({ email: "victim@example.com", password: TEST_PASSWORD });
    expect((await post(app, "/api/auth/x/%2e%2e/sign-in/email/", address, {}, right)).statusCode).toBe(200);
  });

  it("does not limit other auth endpoints, nor count them", async () => {
    const address = freshAddress();
    for (let i = 0; i < LIMIT * 2; i++) {
      const res = await app.inject({ method: "GET", url: "/api/auth/get-session", remoteAddress: address });
      expect(res.statusCode).toBe(200);
    }
    expect((await post(app, "/api/auth/sign-in/email", address)).statusCode).toBe(400);
  });

  it("Better Auth's own limiter backs it up on the password paths, keyed by the server's client IP", async () => {
    // Better Auth as the app builds it, called straight, as if a spelling had slipped past the server's limit.
    const auth = createAuth({
      db: kit.db,
      secret: TEST_SECRET,
      baseURL: "http://localhost:3000",
      trustedOrigins: ["http://localhost:3000"],
      adminEmails: [],
      firstUserIsAdmin: false,
      passwordAttemptsPerMinute: LIMIT,
    });
    const attempt = async (headers: Record<string, string>) =>
      (
        await auth.handler(
          new Request("http://localhost:3000/api/auth/sign-in/email", {
            method: "POST",
            headers: { "content-type": "application/json", ...headers },
            body: noPassword,
          }),
        )
      ).status;
    const statuses: number[] = [];
    // X-Forwarded-For changes every time: Better Auth must not believe it.
    for (let i = 0; i <= LIMIT; i++) statuses.push(await attempt({ [CLIENT_IP_HEADER]: "10.9.9.9", "x-forwarded-for": `192.0.2.${i}` }));
    expect(statuses).toEqual([400, 400, 400, 429]);
    // In-process calls (no client IP from the server) are not counted.
    for (let i = 0; i <= LIMIT; i++) expect(await attempt({})).toBe(400);
  });
});

describe("account-mail requests per client IP (4 × MAIL_RATE_LIMIT an hour, in PostgreSQL), whatever the spelling of the path", () => {
  it("spellings of the reset and verification paths spend one budget; then 429 with Retry-After; another client is not held back", async () => {
    const app = await appWith({ MAIL_RATE_LIMIT: "1" });
    const address = freshAddress();
    const ask = (url: string, from: string, email = "victim@example.com") =>
      post(app, url, from, { origin: "http://localhost:3000" }, JSON.stringify({ email, redirectTo: "/reset-password" }));
    const spelled = [
      "/api/auth/./request-password-reset",
      "/api/auth/x/%2e%2e/request-password-reset",
      "/api/auth//request-password-reset/",
    ];
    const answers = await Promise.all([
      ...spelled.map((url) => ask(url, address)),
      ask("/api/auth/send-verification-email", address, "x@example.com"),
    ]);
    expect(answers.map((res) => res.statusCode)).toEqual([200, 200, 200, 200]);
    for (const url of ["/api/auth/request-password-reset", "/api/auth/x/../send-verification-email"]) {
      const refused = await ask(url, address);
      expect(refused.statusCode, url).toBe(429);
      expect(Number(refused.headers["retry-after"]), url).toBeGreaterThan(3500);
    }
    expect((await ask("/api/auth/request-password-reset", freshAddress())).statusCode).toBe(200);
  });
});

describe("TRUST_PROXY: whose X-Forwarded-For decides the client IP", () => {
  /** LIMIT attempts from one socket address, each claiming another X-Forwarded-For; then one more. */
  async function spoofed(app: App, proxy: string) {
    const codes: number[] = [];
    for (let i = 0; i <= LIMIT; i++)
      codes.push((await post(app, "/api/auth/sign-in/email", proxy, { "x-forwarded-for": `203.0.113.${i + 1}` })).statusCode);
    return codes;
  }

  it("unset (also in production): X-Forwarded-For is ignored, the socket address is limited", async () => {
    const production = {
      NODE_ENV: "production",
      BETTER_AUTH_SECRET: "p".repeat(40),
      LIVEKIT_API_KEY: "prod-key",
      LIVEKIT_API_SECRET: "s".repeat(40),
    };
    for (const extra of [{}, production] as Record<string, string>[]) {
      const app = await appWith(extra);
      expect(await spoofed(app, freshAddress())).toEqual([400, 400, 400, 429]);
    }
  });

  it("a hop count or the proxy's address: the forwarded client address is the one limited", async () => {
    for (const TRUST_PROXY of ["1", "10.1.0.0/16", "10.7.7.7, 10.1.0.0/16"]) {
      const app = await appWith({ TRUST_PROXY });
      const proxy = freshAddress();
      expect(await spoofed(app, proxy), TRUST_PROXY).toEqual([400, 400, 400, 400]);
      // One forwarded client, many attempts: limited.
      const codes: number[] = [];
      for (let i = 0; i <= LIMIT; i++)
        codes.push((await post(app, "/api/auth/sign-in/email", proxy, { "x-forwarded-for": `198.51.100.${addresses}` })).statusCode);
      expect(codes, TRUST_PROXY).toEqual([400, 400, 400, 429]);
    }
  });

  it("a proxy that is not in the list is not believed", async () => {
    const app = await appWith({ TRUST_PROXY: "192.0.2.1" });
    expect(await spoofed(app, freshAddress())).toEqual([400, 400, 400, 429]);
  });
});
