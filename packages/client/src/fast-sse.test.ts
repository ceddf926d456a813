import { Writable } from "node:stream";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabaseHandle } from "@onair/db/testing";
import { createOnAirClient } from "./index";
import { noLiveKitRooms, signUp, startServer } from "./test-server";

/**
 * Subscriptions (SSE) through the server's own streaming path (apps/server/src/fast-sse.ts) against
 * `@trpc/server`'s official adapter: two servers on one database, the same requests, the same frames.
 */

const TRANSPORT = new Set(["date", "content-length", "transfer-encoding", "connection", "keep-alive"]);
const q = (value: unknown) => encodeURIComponent(JSON.stringify(superjson.serialize(value)));

type Stream = { status: number; headers: Record<string, string>; frames: string[]; ended: boolean };

/** Reads `path` until `count` SSE frames have come (then hangs up) or the server ends the stream. */
async function frames(base: string, path: string, count: number, headers: Record<string, string> = {}): Promise<Stream> {
  const controller = new AbortController();
  const response = await fetch(`${base}${path}`, { headers: { accept: "text/event-stream", ...headers }, signal: controller.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  let ended = false;
  while (text.split("\n\n\n").length - 1 < count) {
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      break;
    }
    text += value;
  }
  controller.abort();
  return {
    status: response.status,
    headers: Object.fromEntries([...response.headers].filter(([name]) => !TRANSPORT.has(name))),
    frames: text.split("\n\n\n").filter(Boolean).slice(0, count),
    ended,
  };
}

describe("subscriptions stream exactly as through the official adapter", () => {
  let handle: TestDatabaseHandle;
  let fast: Awaited<ReturnType<typeof startServer>>;
  let official: Awaited<ReturnType<typeof startServer>>;
  let viewer: ReturnType<typeof createOnAirClient>;
  const logged: { msg?: string; req?: { url?: string } }[] = [];
  const logs = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) logged.push(JSON.parse(line) as (typeof logged)[number]);
      done();
    },
  });

  beforeAll(async () => {
    handle = await createTestDatabase();
    fast = await startServer(handle, {}, { rooms: noLiveKitRooms, logger: { level: "info", stream: logs } });
    official = await startServer(handle, {}, { rooms: noLiveKitRooms, trpcFastPath: false });
    const admin = createOnAirClient({ url: fast.url, token: await signUp(fast.url, "sse_admin") });
    const creator = createOnAirClient({ url: fast.url, token: await signUp(fast.url, "sse_creator") });
    await creator.creator.requestApproval.mutate();
    await admin.admin.approveCreator.mutate({ username: "sse_creator" });
    await creator.stream.goLive.mutate({ title: "Frames, byte for byte" });
    viewer = createOnAirClient({ url: fast.url, token: await signUp(fast.url, "sse_viewer") });
  });
  afterAll(async () => {
    await fast?.app.close();
    await official?.app.close();
    await handle?.close();
  });

  async function both(path: string, count: number, headers?: Record<string, string>) {
    const [a, b] = await Promise.all([frames(official.url, path, count, headers), frames(fast.url, path, count, headers)]);
    expect(b).toEqual(a);
    return a;
  }

  it("a channel's status: connected, then its current view", async () => {
    const stream = await both(`/trpc/stream.onStatus?input=${q({ username: "SSE_Creator" })}`, 2);
    expect(stream.headers["content-type"]).toBe("text/event-stream");
    expect(stream.frames[0]).toBe("event: connected\ndata: {}");
    expect(stream.frames[1]).toContain('"title":"Frames, byte for byte"');
  });

  it("chat: a new message reaches both, tracked by its id", async () => {
    const path = `/trpc/chat.onMessage?input=${q({ username: "sse_creator" })}`;
    const pending = both(path, 2);
    await new Promise((resolve) => setTimeout(resolve, 300)); // both subscribed
    await viewer.chat.send.mutate({ username: "sse_creator", text: "hello, frames" });
    const stream = await pending;
    expect(stream.frames[1]).toMatch(/^data: .*hello, frames.*\nid: \d+$/s);
  });

  it("chat: a reconnecting client (Last-Event-ID) gets what came after", async () => {
    const stream = await both(`/trpc/chat.onMessage?input=${q({ username: "sse_creator" })}`, 2, { "last-event-id": "0" });
    expect(stream.frames[1]).toContain("hello, frames");
  });

  it.each([
    ["invalid input", `/trpc/chat.onMessage?input=${q({ username: "not a name!" })}`],
    ["no such channel", `/trpc/stream.onStatus?input=${q({ username: "nobody_here" })}`],
    ["a batched subscription", `/trpc/stream.onStatus?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: superjson.serialize({ username: "sse_creator" }) }))}`],
  ])("errors the same way: %s", async (_label, path) => {
    const stream = await both(path, 5);
    expect(stream.ended).toBe(true);
  });

  it("streams subscriptions itself, not through the official adapter", async () => {
    await frames(fast.url, `/trpc/stream.onStatus?input=${q({ username: "nobody_here" })}`, 5);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The lane names the URL in its "request completed" line; Fastify's line does not.
    expect(logged.some((line) => line.msg === "request completed" && line.req?.url?.startsWith("/trpc/stream.onStatus"))).toBe(true);
  });
});
