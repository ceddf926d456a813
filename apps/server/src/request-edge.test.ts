import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabaseHandle } from "@onair/db/testing";
import { exchange, type Exchange } from "./test/raw-http";
import { startServer } from "./testing";

/**
 * The request edge as exact bytes (issue 21 part 4): Host headers an attacker may write, JSON content
 * types in any case, HTTP/1.0. The same bytes go to two servers on one database, one with the lane in
 * front of Fastify and one with tRPC's official adapter only (TRPC_FAST_LANE=off): both must answer
 * alike (status, headers, body, and whether the connection stays open), none may log an error, and
 * each case says which path answers it on the lane's server.
 */

type Served = "lane" | "adapter";
type Server = Awaited<ReturnType<typeof startServer>>;

const q = (value: unknown) => encodeURIComponent(JSON.stringify(value));
const QUERY = `/trpc/gift.catalog?batch=1&input=${q({})}`;
const MUTATION = "/trpc/stream.token?batch=1";
/** A call that runs: its procedure answers NOT_FOUND (no such channel). */
const NOBODY = JSON.stringify({ 0: { json: { username: "nobody_here" } } });
const SUBSCRIPTION = `/trpc/stream.onStatus?input=${q({ json: { username: "edge_channel" } })}`;
/** One whose input is refused: a `serialized-error` frame, then the stream ends. */
const REFUSED_SUBSCRIPTION = `/trpc/stream.onStatus?input=${q({ json: { username: "not a name!" } })}`;

const get = (target: string, headers: string, version = "1.1") => `GET ${target} HTTP/${version}\r\n${headers}\r\n`;
const post = (type: string, headers = "host: localhost\r\n", version = "1.1") =>
  `POST ${MUTATION} HTTP/${version}\r\n${headers}content-type: ${type}\r\ncontent-length: ${NOBODY.length}\r\n\r\n${NOBODY}`;
const withHost = (host: string) => get(QUERY, `host: ${host}\r\n`);

/** Headers that say how the bytes travel (a sized body or a chunked one), not what the answer is. */
const TRANSPORT = new Set(["date", "content-length", "transfer-encoding", "keep-alive"]);
const comparable = ({ status, headers, body, keptAlive }: Exchange) => ({
  status,
  headers: Object.fromEntries(Object.entries(headers).filter(([name]) => !TRANSPORT.has(name))),
  body,
  keptAlive,
});

let handle: TestDatabaseHandle;
let fast: Server;
let official: Server;

beforeAll(async () => {
  handle = await createTestDatabase();
  fast = await startServer(handle, { TRPC_FAST_LANE: "on" });
  official = await startServer(handle, { TRPC_FAST_LANE: "off" });
});
afterAll(async () => {
  await fast?.app.close();
  await official?.app.close();
  await handle?.close();
});

/** Both servers' answers to `bytes`, after checking they agree, that nothing was logged as an error, and which path served it. */
async function both(bytes: string, served: Served, until?: RegExp): Promise<Exchange> {
  const since = [official.logs.length, fast.logs.length];
  const port = (server: Server) => Number(new URL(server.url).port);
  const adapter = await exchange(port(official), bytes, { until });
  const lane = await exchange(port(fast), bytes, { until });
  expect(comparable(lane)).toEqual(comparable(adapter));
  if (!until && adapter.headers["content-length"] !== undefined) expect(lane.head).toBe(adapter.head); // Fastify's own answers, byte for byte
  const errors = [...official.logs.slice(since[0]), ...fast.logs.slice(since[1])].filter((line) => (line.level ?? 0) >= 50);
  expect(errors).toEqual([]);
  expect(fast.logs.slice(since[1]).some((line) => line.lane === "trpc") ? "lane" : "adapter").toBe(served);
  return adapter;
}

const message = (answer: Exchange) => (JSON.parse(answer.body) as { message: string }).message;

describe("a Host header is checked alike on both paths: 400 with what is wrong, never a 500", () => {
  // Each passed the old check: tRPC's adapter threw building the request URL (a 500, an error logged), the lane answered 200.
  const urlRefuses = ["h:99999", "h:65536", "[::1]:99999", "[::1.2.3.4.5]", "[:::1]", "1.2.3.999", "1.2.3.4.5", "4294967296", "xn--a"];
  const malformed = [
    "[::1",
    "[zz::1]:80",
    "[::1]x",
    "h:-1",
    "h:+80",
    "h:80:80",
    "[]",
    "[fe80::1%25eth0]",
    "[fe80::1%eth0]",
    "[v1.x]",
    "a@h",
    "u:p@h",
    "a,b",
    "a b",
    "h/x",
    "h?x",
    "h#x",
    "h\\x",
    "%41",
    "\xff",
    "\xc3\xa9.example",
    "",
  ];
  const label = (host: string) => (host.length > 40 ? `${host[0]!} × ${host.length}` : JSON.stringify(host));
  const refused = [...urlRefuses, ...malformed, "a".repeat(254), "a".repeat(4000)].map((host) => ({ host, label: label(host) }));
  it.each(refused)("Host $label: 400", async ({ host }) => {
    const answer = await both(withHost(host), "adapter");
    expect(answer.status).toBe(400);
    expect(message(answer)).toMatch(/^Malformed Host header: /);
    if (host.length > 3) expect(answer.body).not.toContain(host); // never echoed (shorter ones could be any word)
  });

  it.each(
    [
      ["h:65535"],
      ["h:0"],
      ["h:"],
      ["h:00080"],
      ["h:0000000080"],
      ["[::1]"],
      ["[::1]:"],
      ["[::ffff:1.2.3.4]:8080"],
      ["[2001:db8::1]:443"],
      ["localhost."],
      ["999"],
      ["xn--ls8h.example"],
      ["a".repeat(253)],
      ["  spaced.example  "], // optional whitespace around a value is no part of it
    ].map(([host]) => ({ host: host!, label: label(host!) })),
  )("Host $label: served", async ({ host }) => {
    expect((await both(withHost(host), "lane")).status).toBe(200);
  });

  it("X-Forwarded-Host is read by nothing that could fail on it", async () => {
    expect((await both(get(QUERY, "host: localhost\r\nx-forwarded-host: [::1\r\n"), "lane")).status).toBe(200);
  });

  it("more than one Host line is a 400 (RFC 9112), even when they agree", async () => {
    for (const hosts of ["host: a\r\nhost: b\r\n", "host: a\r\nHost: a\r\n"]) {
      const answer = await both(get(QUERY, hosts), "adapter");
      expect([answer.status, message(answer)]).toEqual([400, "More than one Host header"]);
    }
  });

  it("an HTTP/1.1 request without Host is a 400 (Node's own), on both", async () => {
    expect((await both(get(QUERY, "x: y\r\n"), "adapter")).status).toBe(400);
  });
});

describe("JSON content types are JSON in any case, on both paths", () => {
  it.each([
    "Application/JSON",
    "APPLICATION/JSON; Charset=UTF-8",
    "application/json; charset=UTF-8",
    "application/json ;charset=utf-8",
    'application/JSON;charset="utf-8"',
  ])("%s: the call runs", async (type) => {
    const answer = await both(post(type), "lane");
    expect(answer.status).toBe(404); // the procedure ran: no such channel
    expect(answer.body).toContain("No channel named");
  });

  it.each([
    "text/plain",
    "Text/Plain",
    "application/jsonx",
    "APPLICATION/JSONX",
    "multipart/form-data; boundary=x",
    "Multipart/Form-Data; boundary=x",
  ])("%s: 415, nothing runs", async (type) => {
    const answer = await both(post(type), "adapter");
    expect(answer.status).toBe(415);
    expect(answer.body).toContain("UNSUPPORTED_MEDIA_TYPE");
  });
});

describe("HTTP/1.0 is answered and closed alike on both paths", () => {
  const cases: [string, string, number][] = [
    ["a query, no Host (none is needed in 1.0)", get(QUERY, "", "1.0"), 200],
    ["a query asking for keep-alive", get(QUERY, "host: localhost\r\nconnection: keep-alive\r\n", "1.0"), 200],
    ["a mutation", post("application/json", "", "1.0"), 404],
    ["a mutation asking for keep-alive", post("application/json", "connection: keep-alive\r\n", "1.0"), 404],
    ["a subscription whose input is refused", get(REFUSED_SUBSCRIPTION, "accept: text/event-stream\r\n", "1.0"), 200],
    ["… asking for keep-alive", get(REFUSED_SUBSCRIPTION, "accept: text/event-stream\r\nconnection: keep-alive\r\n", "1.0"), 200],
  ];
  it.each(cases)("%s: answered, then the connection closes", async (_label, bytes, status) => {
    const answer = await both(bytes, "adapter");
    expect([answer.status, answer.keptAlive]).toEqual([status, false]); // no length to end a body in 1.0 but closing
    if (bytes.includes("event-stream")) expect(answer.body).toMatch(/^event: connected\n[\s\S]*event: serialized-error\n/);
  });

  it("a subscription streams its frames until the client leaves", async () => {
    for (const keepAlive of ["", "connection: keep-alive\r\n"]) {
      const answer = await both(get(SUBSCRIPTION, `accept: text/event-stream\r\n${keepAlive}`, "1.0"), "adapter", /\ndata: \{"json"/);
      expect(answer.status).toBe(200);
      expect(answer.headers["content-type"]).toBe("text/event-stream");
    }
  });

  it("a malformed Host is Fastify's sized 400 on both, which keeps an HTTP/1.0 keep-alive connection", async () => {
    const answer = await both(get(QUERY, "host: h:99999\r\nconnection: keep-alive\r\n", "1.0"), "adapter");
    expect([answer.status, answer.keptAlive]).toEqual([400, true]);
  });

  it("HTTP/1.1 keeps the connection on both paths (the check sees a kept one)", async () => {
    expect((await both(get(QUERY, "host: localhost\r\n"), "lane")).keptAlive).toBe(true);
  });
});
