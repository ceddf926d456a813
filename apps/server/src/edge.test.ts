import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestKit, signedWebhook, TEST_LIVEKIT, TEST_PASSWORD, type TestKit } from "@onair/api/testing";
import { creatorApplication, user } from "@onair/db";
import { createTestDatabase } from "@onair/db/testing";
import { buildApp, type BuildAppOptions } from "./app";
import { testEnv as baseEnv, TEST_PUBLIC_URL } from "./test/env";
import { logCollector } from "./testing";
import { halfSent, rawRequest, type RawAnswer } from "./test/raw-http";

/**
 * The HTTP edge (issue 12 items 4, 6, 9, 11, 13; issue 16's differences between the lane and the
 * adapter): every rule through a listening server with the lane on (raw HTTP, so odd methods, Host
 * headers and half-sent bodies go as written) and through Fastify (`app.inject()`).
 */

type App = Awaited<ReturnType<typeof buildApp>>;
const PUBLIC_URL = TEST_PUBLIC_URL;
const EVIL = "https://evil.example";

let kit: TestKit;
let app: App;
let port: number;
const logs = logCollector();

/** The shared test env, reaching the kit's LiveKit double. */
function testEnv(extra: Record<string, string> = {}) {
  return baseEnv({ LIVEKIT_API_URL: kit.livekit.apiUrl, ...extra });
}

async function listening(options: Partial<BuildAppOptions> = {}, env: Record<string, string> = {}) {
  const started = await buildApp({ env: testEnv(env), database: kit.handle, logger: { level: "info", stream: logs.stream }, ...options });
  await started.listen({ port: 0, host: "127.0.0.1" });
  return { app: started, port: (started.server.address() as { port: number }).port };
}

beforeAll(async () => {
  kit = await createTestKit();
  ({ app, port } = await listening());
});
afterAll(async () => {
  await app?.close();
  await kit?.close();
});

interface Request {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Through the listening server (the lane in front of Fastify) or through Fastify alone. */
const transports = {
  lane: async ({ method = "GET", url, headers = {}, body }: Request): Promise<RawAnswer> => {
    const lines = Object.entries({ host: "localhost", ...headers }).map(([name, value]) => `${name}: ${value}`);
    return rawRequest(port, [`${method} ${url} HTTP/1.1`, ...lines].join("\r\n"), body);
  },
  fastify: async ({ method = "GET", url, headers = {}, body }: Request): Promise<RawAnswer> => {
    const res = await app.inject({ method: method as "GET", url, headers, payload: body });
    return { status: res.statusCode, headers: res.headers as Record<string, string>, body: res.body };
  },
};
type Transport = keyof typeof transports;

let users = 0;
/** A fresh account, with its bearer token and its session cookie. */
async function account() {
  const username = `edge_${++users}`;
  const res = await app.inject({
    method: "POST",
    url: "/api/auth/sign-up/email",
    headers: { "content-type": "application/json", origin: PUBLIC_URL },
    payload: JSON.stringify({ email: `${username}@example.com`, password: TEST_PASSWORD, name: username, username }),
  });
  expect(res.statusCode).toBe(200);
  const cookie = String(res.headers["set-cookie"]).split(";")[0]!;
  const [row] = await kit.db.select().from(user).where(eq(user.username, username));
  const applied = async () => (await kit.db.select().from(creatorApplication).where(eq(creatorApplication.userId, row!.id))).length > 0;
  return { bearer: `Bearer ${String(res.headers["set-auth-token"])}`, cookie, applied };
}

const trpcError = (answer: RawAnswer) =>
  (JSON.parse(answer.body) as { error: { json: { message: string; data: { code: string } } } }).error.json;

describe.each(["lane", "fastify"] as const)("through %s", (transport: Transport) => {
  const send = transports[transport];
  const apply = (headers: Record<string, string>, body = "{}") =>
    send({ method: "POST", url: "/trpc/creator.requestApproval", headers, body });

  it("a tRPC POST takes JSON only: any other content type is a 415 and nothing runs", async () => {
    const who = await account();
    const refused = [
      "multipart/form-data; boundary=x",
      "text/plain",
      "application/x-www-form-urlencoded",
      "application/jsonx",
      "application/json5",
      "application/jsonl",
      "application/json-patch+json",
      "application/json, text/plain",
      "application/json garbage",
    ];
    for (const type of refused) {
      const answer = await apply({ "content-type": type, authorization: who.bearer }).catch((error: Error) => {
        throw new Error(`${type}: ${error.message}`);
      });
      expect(answer.status, type).toBe(415);
      expect(trpcError(answer).data.code, type).toBe("UNSUPPORTED_MEDIA_TYPE");
    }
    expect(await apply({ authorization: who.bearer })).toMatchObject({ status: 415 }); // no content type at all
    expect(await who.applied()).toBe(false);
    expect((await apply({ "content-type": "application/json; charset=utf-8", authorization: who.bearer })).status).toBe(200);
    expect(await who.applied()).toBe(true);
  });

  it("a cookie-authenticated mutation from an untrusted origin is a 403 and nothing runs; bearer calls need no Origin", async () => {
    const json = { "content-type": "application/json" };
    const who = await account();
    const refused: Record<string, string>[] = [
      { origin: EVIL },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
    ];
    for (const headers of refused) {
      const answer = await apply({ ...json, cookie: who.cookie, ...headers }).catch((error: Error) => {
        throw new Error(`${JSON.stringify(headers)}: ${error.message}`);
      });
      expect(answer.status, JSON.stringify(headers)).toBe(403);
      expect(trpcError(answer).data.code).toBe("FORBIDDEN");
    }
    expect(await who.applied()).toBe(false);
    expect((await apply({ ...json, cookie: who.cookie, origin: PUBLIC_URL })).status).toBe(200);
    expect(await who.applied()).toBe(true);

    const service = await account();
    expect((await apply({ ...json, authorization: service.bearer, origin: EVIL })).status).toBe(200);
    expect(await service.applied()).toBe(true);
  });

  it("caps a batch at 16 calls: more is a 400 before any call runs", async () => {
    const who = await account();
    const batch = (n: number) => Array.from({ length: n }, () => "creator.requestApproval").join(",");
    const over = await send({
      method: "POST",
      url: `/trpc/${batch(17)}?batch=1`,
      headers: { "content-type": "application/json", authorization: who.bearer },
      body: "{}",
    });
    expect(over.status).toBe(400);
    expect(trpcError(over)).toMatchObject({ message: expect.stringMatching(/batch/i) as string, data: { code: "BAD_REQUEST" } });
    expect(await who.applied()).toBe(false);
    const queries = (n: number) => send({ url: `/trpc/${Array.from({ length: n }, () => "gift.catalog").join(",")}?batch=1&input=%7B%7D` });
    expect((await queries(17)).status).toBe(400);
    expect((await queries(16)).status).toBe(200);
  });

  it("answers bad requests with 4xx, not 500: TRACE, a path that does not decode twice, malformed Host", async () => {
    const trace = await send({ method: "TRACE", url: "/trpc/gift.catalog" });
    expect(trace.status).toBe(405);
    expect(trace.headers.allow).toContain("GET");
    const percent = await send({ url: "/trpc/gift.catalog%25" });
    expect(percent.status).toBe(400);
    expect(percent.body).not.toMatch(/URI malformed/);
    // inject() puts its own Host in place of an empty one: that case goes through a listening server only.
    for (const host of transport === "lane" ? ["a b", "", "u@h", "h:abc"] : ["a b", "u@h", "h:abc"]) {
      const answer = await send({ url: "/trpc/gift.catalog?input=%7B%7D", headers: { host } });
      expect(answer.status, JSON.stringify(host)).toBe(400);
      expect(answer.body).not.toContain(host || "http://");
    }
  });

  it("says Vary: Origin on /trpc answers", async () => {
    for (const headers of [{}, { origin: PUBLIC_URL }] as Record<string, string>[]) {
      const answer = await send({ url: "/trpc/gift.catalog?batch=1&input=%7B%7D", headers });
      expect(answer.status).toBe(200);
      expect(answer.headers.vary?.split(/,\s*/)).toContain("Origin");
    }
    const refused = await apply({ "content-type": "text/plain" });
    expect(refused.headers.vary?.split(/,\s*/)).toContain("Origin");
  });
});

describe("a 500", () => {
  it("says only that something went wrong; the log has the error in full", async () => {
    const handle = await createTestDatabase();
    const broken = await buildApp({ env: testEnv(), database: handle, logger: { level: "info", stream: logs.stream } });
    try {
      await handle.close(); // every query now fails
      const { body, authorization } = await signedWebhook(
        { event: "room_finished", room: "broadcast-00000000-0000-0000-0000-000000000000" },
        TEST_LIVEKIT,
      );
      const before = logs.lines.length;
      const res = await broken.inject({
        method: "POST",
        url: "/api/livekit/webhook",
        headers: { "content-type": "application/webhook+json", authorization },
        payload: body,
      });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({
        statusCode: 500,
        error: "Internal Server Error",
        message: "Something went wrong on our side. Please try again.",
      });
      const logged = logs.lines.slice(before).find((line) => line.msg === "request failed");
      expect((logged?.err as { message?: string } | undefined)?.message).toEqual(expect.any(String));
    } finally {
      await broken.close().catch(() => {});
    }
  });
});

describe("what one client can hold open", () => {
  it("cuts an unfinished request (headers, or a body on either path) after the request timeout", async () => {
    const short = await listening({ limits: { requestTimeoutMs: 500 } });
    try {
      const unfinished = [
        "GET /trpc/gift.catalog HTTP/1.1\r\nhost: localhost\r\nx-slow: ", // headers never end
        "POST /trpc/stream.token HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{", // the lane's
        "POST /api/auth/sign-in/email HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{", // Fastify's
      ];
      const answers = await Promise.all(unfinished.map((text) => halfSent(short.port, text).closed));
      for (const answer of answers) expect(answer).toMatch(/^(HTTP\/1\.1 408|$)/);
    } finally {
      await short.app.close();
    }
  });

  it("bounds open connections", async () => {
    const small = await listening({ limits: { maxConnections: 2 } });
    try {
      const held = [halfSent(small.port, "GET /healthz HTTP/1.1\r\n"), halfSent(small.port, "GET /healthz HTTP/1.1\r\n")];
      await expect
        .poll(() => new Promise((resolve) => small.app.server.getConnections((_error, count) => resolve(count))), { timeout: 10_000 })
        .toBe(2);
      expect(await halfSent(small.port, "GET /healthz HTTP/1.1\r\nhost: localhost\r\n\r\n").closed).toBe(""); // closed at once, unanswered
      for (const { socket } of held) socket.destroy();
    } finally {
      await small.app.close();
    }
  });

  it("a half-sent body to the lane does not hold a graceful stop", async () => {
    const server = await listening();
    const taken = new Promise<void>((resolve) => server.app.server.once("request", () => resolve()));
    const slow = halfSent(
      server.port,
      "POST /trpc/stream.token HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{",
    );
    await taken;
    await server.app.close(); // before: waited for a body that never comes
    await slow.closed;
  });

  it("caps subscriptions per client address at SUBSCRIPTIONS_PER_ADDRESS, through the lane and through Fastify: over it, a 429", async () => {
    const servers = [
      await listening({}, { SUBSCRIPTIONS_PER_ADDRESS: "2" }),
      await listening({}, { SUBSCRIPTIONS_PER_ADDRESS: "2", TRPC_FAST_LANE: "off" }),
    ];
    const creator = await kit.makeCreator("edge_sse");
    expect(creator.user.username).toBe("edge_sse");
    try {
      for (const server of servers) {
        const url = `http://127.0.0.1:${server.port}/trpc/stream.onStatus?input=${encodeURIComponent(JSON.stringify({ json: { username: "edge_sse" } }))}`;
        const open = async () => {
          const controller = new AbortController();
          const response = await fetch(url, { headers: { accept: "text/event-stream" }, signal: controller.signal });
          return { response, close: () => controller.abort() };
        };
        const first = await open();
        const second = await open();
        expect([first.response.status, second.response.status]).toEqual([200, 200]);
        const third = await open();
        expect(third.response.status).toBe(429);
        expect(trpcError({ status: 429, headers: {}, body: await third.response.text() }).data.code).toBe("TOO_MANY_REQUESTS");
        first.close();
        // Once the server has seen the first one go, a new one may open.
        await expect
          .poll(
            async () => {
              const again = await open();
              again.close();
              return again.response.status;
            },
            { timeout: 10_000 },
          )
          .toBe(200);
        second.close();
      }
    } finally {
      for (const server of servers) await server.app.close();
    }
  });
});
