import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppRouter } from "@onair/api";
import { createTestDatabase, type TestDatabaseHandle } from "@onair/db/testing";
import { rawRequest } from "../test/raw-http";
import { client, signUp, startServer } from "../testing";

/**
 * The server answers plain queries and mutations through the fast lane (trpc.ts, lane.ts).
 * Here the same requests go to two servers on one database — one with the lane, one with only
 * `@trpc/server`'s official Fastify adapter — and must get byte-identical answers. Each case says
 * which path must answer it on the lane's server, and checks that it did (the lane's log lines).
 */

/** A second origin both servers trust (each one's own origin differs by port). */
const APP_ORIGIN = "https://app.onair.example";

const start = (handle: TestDatabaseHandle, lane: "on" | "off") =>
  startServer(handle, { TRUSTED_ORIGINS: APP_ORIGIN, TRPC_FAST_LANE: lane });

type Answer = { status: number; headers: Record<string, string>; body: string; streamed: boolean };
/** Headers that say how the bytes travel, not what the answer is. */
const TRANSPORT = new Set(["date", "content-length", "transfer-encoding", "connection", "keep-alive"]);

/** Random parts of a viewer token answer (the JWT and a guest's identity) differ on every call. */
const normalize = (body: string) =>
  body.replace(/"token":"[^"]+"/g, '"token":"…"').replace(/"identity":"guest-[^"]+"/g, '"identity":"guest-…"');

async function ask(base: string, path: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(`${base}${path}`, init);
  return {
    status: response.status,
    headers: Object.fromEntries([...response.headers].filter(([name]) => !TRANSPORT.has(name))),
    body: normalize(await response.text()),
    // The official adapter streams its Response (chunked); the fast lane sends a sized body.
    streamed: response.headers.get("transfer-encoding") === "chunked",
  };
}

/** A request body without a length: sent chunked. */
const chunked = (text: string) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      controller.close();
    },
  });

type Served = "lane" | "adapter";
const port = (url: string) => Number(new URL(url).port);

const q = (value: unknown) => encodeURIComponent(JSON.stringify(value));
const json = { "content-type": "application/json" };

describe("the fast tRPC path answers exactly as the official adapter", () => {
  let handle: TestDatabaseHandle;
  let fast: Awaited<ReturnType<typeof start>>;
  let official: Awaited<ReturnType<typeof start>>;
  let viewer: Record<string, string>;

  beforeAll(async () => {
    handle = await createTestDatabase();
    fast = await start(handle, "on");
    official = await start(handle, "off");
    const admin = client(fast.url, await signUp(fast.url, "fp_admin")); // first account: admin
    const creator = client(fast.url, await signUp(fast.url, "fp_creator"));
    await creator.creator.requestApproval.mutate();
    await admin.admin.approveCreator.mutate({ username: "fp_creator" });
    await creator.stream.goLive.mutate({ title: "Dates travel as Dates" });
    const offline = client(fast.url, await signUp(fast.url, "fp_offline"));
    await offline.creator.requestApproval.mutate();
    await admin.admin.approveCreator.mutate({ username: "fp_offline" });
    viewer = { authorization: `Bearer ${await signUp(fast.url, "fp_viewer")}` };
  });
  afterAll(async () => {
    await fast?.app.close();
    await official?.app.close();
    await handle?.close();
  });

  /** [label, path, request, which path must answer it on the lane's server]. */
  const cases: [string, string, () => RequestInit, Served][] = [
    [
      "batched GET queries (superjson Dates)",
      `/trpc/gift.catalog,stream.byUsername,stream.live?batch=1&input=${q({ 1: { json: { username: "fp_creator" } }, 2: { json: { limit: 5 } } })}`,
      () => ({}),
      "lane",
    ],
    ["one GET query, not batched", `/trpc/stream.byUsername?input=${q({ json: { username: "FP_Creator" } })}`, () => ({}), "lane"],
    [
      "a batch mixing success and errors (207)",
      `/trpc/gift.catalog,stream.byUsername,account.me?batch=1&input=${q({ 1: { json: { username: "nobody_here" } } })}`,
      () => ({}),
      "lane",
    ],
    [
      "BAD_REQUEST with fieldErrors",
      `/trpc/stream.byUsername?batch=1&input=${q({ 0: { json: { username: "not a name!" } } })}`,
      () => ({}),
      "lane",
    ],
    ["BAD_REQUEST: input is not JSON", `/trpc/stream.byUsername?batch=1&input=not-json`, () => ({}), "lane"],
    ["BAD_REQUEST: a batch input that is not an object", `/trpc/stream.byUsername?batch=1&input=${q([1])}`, () => ({}), "lane"],
    [
      "NOT_FOUND: no such channel",
      `/trpc/stream.byUsername?batch=1&input=${q({ 0: { json: { username: "nobody_here" } } })}`,
      () => ({}),
      "lane",
    ],
    ["NOT_FOUND: no such procedure", `/trpc/nope.nothing?batch=1&input=${q({})}`, () => ({}), "adapter"],
    ["UNAUTHORIZED query", `/trpc/account.me?batch=1&input=${q({})}`, () => ({}), "lane"],
    ["UNAUTHORIZED mutation", "/trpc/creator.requestApproval?batch=1", () => ({ method: "POST", headers: json, body: "{}" }), "lane"],
    [
      "POST mutation, signed in",
      "/trpc/creator.requestApproval?batch=1",
      () => ({ method: "POST", headers: { ...json, ...viewer }, body: "{}" }),
      "lane",
    ],
    [
      "POST mutation, a guest's viewer token",
      "/trpc/stream.token?batch=1",
      () => ({ method: "POST", headers: json, body: JSON.stringify({ 0: { json: { username: "fp_creator" } } }) }),
      "lane",
    ],
    [
      "POST mutation, not batched",
      "/trpc/stream.token",
      () => ({ method: "POST", headers: { ...json, ...viewer }, body: JSON.stringify({ json: { username: "fp_creator" } }) }),
      "lane",
    ],
    [
      "BAD_REQUEST mutation with fieldErrors",
      "/trpc/stream.token?batch=1",
      () => ({ method: "POST", headers: json, body: JSON.stringify({ 0: { json: { username: "" } } }) }),
      "lane",
    ],
    [
      "BAD_REQUEST: a body that is not JSON",
      "/trpc/stream.token?batch=1",
      () => ({ method: "POST", headers: json, body: "{oops" }),
      "lane",
    ],
    [
      "PRECONDITION_FAILED and NOT_FOUND in one mutation batch",
      "/trpc/stream.token,stream.token?batch=1",
      () => ({
        method: "POST",
        headers: json,
        body: JSON.stringify({ 0: { json: { username: "fp_offline" } }, 1: { json: { username: "ghost" } } }),
      }),
      "lane",
    ],
    [
      "METHOD_NOT_SUPPORTED: a mutation by GET",
      `/trpc/stream.token?batch=1&input=${q({ 0: { json: { username: "fp_creator" } } })}`,
      () => ({}),
      "adapter",
    ],
    ["a query by POST", "/trpc/gift.catalog?batch=1", () => ({ method: "POST", headers: json, body: "{}" }), "adapter"],
    [
      "unsupported content type",
      "/trpc/stream.token?batch=1",
      () => ({ method: "POST", headers: { "content-type": "text/plain" }, body: "{}" }),
      "adapter",
    ],
    [
      "CORS: a query from the app's own origin",
      `/trpc/gift.catalog?batch=1&input=${q({})}`,
      () => ({ headers: { origin: APP_ORIGIN } }),
      "lane",
    ],
    [
      "CORS: a query from a foreign origin",
      `/trpc/gift.catalog?batch=1&input=${q({})}`,
      () => ({ headers: { origin: "https://evil.example" } }),
      "lane",
    ],
    [
      "CORS: a viewer token from the app's own origin",
      "/trpc/stream.token?batch=1",
      () => ({
        method: "POST",
        headers: { ...json, origin: APP_ORIGIN },
        body: JSON.stringify({ 0: { json: { username: "fp_creator" } } }),
      }),
      "lane",
    ],
    [
      "a body over the fast lane's limit",
      "/trpc/stream.token?batch=1",
      () => ({
        method: "POST",
        headers: json,
        body: JSON.stringify({ 0: { json: { username: "fp_creator", padding: "x".repeat(70_000) } } }),
      }),
      "adapter",
    ],
    [
      "a chunked body (no content-length)",
      "/trpc/stream.token?batch=1",
      () => ({ method: "POST", headers: json, body: chunked(JSON.stringify({ 0: { json: { username: "fp_creator" } } })), duplex: "half" }),
      "adapter",
    ],
    // Issue 16's differences: each failed before (the lane ran the call, refused the BOM, or 500ed).
    ...[
      "application/jsonx",
      "application/json5",
      "application/jsonl",
      "application/json-patch+json",
      "application/json, text/plain",
      "application/json garbage",
      "multipart/form-data; boundary=x",
    ].map((type): (typeof cases)[number] => [
      `content type ${type}: 415, nothing runs`,
      "/trpc/creator.requestApproval?batch=1",
      () => ({ method: "POST", headers: { "content-type": type, ...viewer }, body: "{}" }),
      "adapter",
    ]),
    [
      "a JSON body with a UTF-8 byte order mark",
      "/trpc/stream.token?batch=1",
      () => ({ method: "POST", headers: json, body: `\uFEFF${JSON.stringify({ 0: { json: { username: "fp_creator" } } })}` }),
      "lane",
    ],
    [
      "a cookie mutation from a foreign origin: 403",
      "/trpc/stream.token?batch=1",
      () => ({ method: "POST", headers: { ...json, cookie: "better-auth.session_token=x", origin: "https://evil.example" }, body: "{}" }),
      "adapter",
    ],
    [
      "a cookie mutation from the app's origin",
      "/trpc/stream.token?batch=1",
      () => ({
        method: "POST",
        headers: { ...json, cookie: "better-auth.session_token=x", origin: APP_ORIGIN },
        body: JSON.stringify({ 0: { json: { username: "fp_creator" } } }),
      }),
      "lane",
    ],
    [
      "a batch of 17: 400",
      `/trpc/${Array.from({ length: 17 }, () => "gift.catalog").join(",")}?batch=1&input=${q({})}`,
      () => ({}),
      "adapter",
    ],
    ["a batch of 16", `/trpc/${Array.from({ length: 16 }, () => "gift.catalog").join(",")}?batch=1&input=${q({})}`, () => ({}), "lane"],
    ["a path that does not decode twice: 400", "/trpc/gift.catalog%25", () => ({}), "adapter"],
    ["percent-encoded procedure names", `/trpc/gift%2Ecatalog?batch=1&input=${q({})}`, () => ({}), "lane"],
  ];

  it.each(cases)("%s", async (_label, path, init, served) => {
    const since = fast.logs.length;
    const a = await ask(official.url, path, init());
    const b = await ask(fast.url, path, init());
    expect({ ...b, streamed: undefined }).toEqual({ ...a, streamed: undefined });
    expect(official.servedByLane(path)).toBe(false);
    expect(fast.servedByLane(path, since) ? "lane" : "adapter").toBe(served);
  });

  it.each([
    ["a #fragment in the request target is dropped", `GET /trpc/gift.catalog?batch=1&input=${q({})}#f HTTP/1.1\r\nhost: localhost`, "lane"],
    ...["a b", "", "u@h", "h:abc"].map(
      (host) =>
        [
          `malformed Host ${JSON.stringify(host)}: 400`,
          `GET /trpc/gift.catalog?batch=1&input=${q({})} HTTP/1.1\r\nhost: ${host}`,
          "adapter",
        ] as const,
    ),
  ] as const)("raw: %s", async (_label, head, served) => {
    const since = fast.logs.length;
    const [a, b] = [await rawRequest(port(official.url), head), await rawRequest(port(fast.url), head)];
    const { date: _a, ...aHeaders } = a.headers;
    const { date: _b, ...bHeaders } = b.headers;
    const sized = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).filter(([name]) => !TRANSPORT.has(name)));
    expect({ ...b, headers: sized(bHeaders) }).toEqual({ ...a, headers: sized(aHeaders) });
    expect(a.status).toBe(served === "lane" ? 200 : 400);
    expect(fast.logs.slice(since).some((line) => line.lane === "trpc") ? "lane" : "adapter").toBe(served);
  });

  it("answers a trusted origin with CORS headers, a foreign one without", async () => {
    const path = `/trpc/gift.catalog?batch=1&input=${q({})}`;
    const trusted = await ask(fast.url, path, { headers: { origin: APP_ORIGIN } });
    const foreign = await ask(fast.url, path, { headers: { origin: "https://evil.example" } });
    expect(trusted.headers).toMatchObject({ "access-control-allow-origin": APP_ORIGIN, "access-control-allow-credentials": "true" });
    expect(foreign.headers["access-control-allow-origin"]).toBeUndefined();
    expect(trusted.streamed || foreign.streamed).toBe(false);
  });

  it("serves plain calls itself and leaves the rest to the official adapter", async () => {
    expect((await ask(fast.url, `/trpc/gift.catalog?batch=1&input=${q({})}`)).streamed).toBe(false);
    expect((await ask(fast.url, "/trpc/stream.token?batch=1", { method: "POST", headers: json, body: "{}" })).streamed).toBe(false);
    expect((await ask(fast.url, `/trpc/nope.nothing?batch=1&input=${q({})}`)).streamed).toBe(true);
    expect(
      (await ask(fast.url, `/trpc/gift.catalog?batch=1&input=${q({})}`, { headers: { "trpc-accept": "application/jsonl" } })).streamed,
    ).toBe(true);
  });

  it("gives @trpc/client the same typed results and errors", async () => {
    const link = (url: string) =>
      createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${url}/trpc`, transformer: superjson, headers: () => viewer })] });
    const results = [];
    for (const client of [link(official.url), link(fast.url)]) {
      const [channel, page, missing, invalid, token] = await Promise.allSettled([
        client.stream.byUsername.query({ username: "fp_creator" }),
        client.stream.live.query({ limit: 5 }),
        client.stream.byUsername.query({ username: "nobody_here" }),
        client.stream.byUsername.query({ username: "bad name" }),
        client.stream.token.mutate({ username: "fp_creator" }),
      ]);
      if (channel.status !== "fulfilled" || page.status !== "fulfilled" || token.status !== "fulfilled") throw new Error("a call failed");
      expect(channel.value.liveSince).toBeInstanceOf(Date);
      const errors = [missing, invalid].map((outcome) => {
        const error = (outcome as PromiseRejectedResult).reason as TRPCClientError<AppRouter>;
        expect(error).toBeInstanceOf(TRPCClientError);
        return { message: error.message, data: error.data, shape: error.shape };
      });
      results.push({ channel: channel.value, page: page.value, errors, token: { ...token.value, token: "…" } });
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[0]!.errors[1]!.data).toMatchObject({ code: "BAD_REQUEST", fieldErrors: { username: [expect.any(String)] } });
  });
});
