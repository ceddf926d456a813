import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabaseHandle } from "@onair/db/testing";
import { client, signUp, startServer } from "../testing";

/**
 * Subscriptions (SSE) through the lane's own streaming path (sse.ts, lane.ts) against
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
  let viewer: ReturnType<typeof client>;

  beforeAll(async () => {
    handle = await createTestDatabase();
    fast = await startServer(handle, { TRPC_FAST_LANE: "on" });
    official = await startServer(handle, { TRPC_FAST_LANE: "off" });
    const admin = client(fast.url, await signUp(fast.url, "sse_admin"));
    const creator = client(fast.url, await signUp(fast.url, "sse_creator"));
    await creator.creator.requestApproval.mutate();
    await admin.admin.approveCreator.mutate({ username: "sse_creator" });
    await creator.stream.goLive.mutate({ title: "Frames, byte for byte" });
    viewer = client(fast.url, await signUp(fast.url, "sse_viewer"));
  });
  afterAll(async () => {
    await fast?.app.close();
    await official?.app.close();
    await handle?.close();
  });

  /** The same stream from both servers; `served`: which path must answer it on the lane's server. */
  async function both(served: "lane" | "adapter", path: string, count: number, headers?: Record<string, string>) {
    const since = fast.logs.length;
    const [a, b] = await Promise.all([frames(official.url, path, count, headers), frames(fast.url, path, count, headers)]);
    expect(b).toEqual(a);
    expect(official.servedByLane(path)).toBe(false);
    // The lane logs a stream once it has ended (after the client hung up, for a live one).
    if (served === "lane") await expect.poll(() => fast.servedByLane(path, since), { timeout: 10_000 }).toBe(true);
    else expect(fast.servedByLane(path, since)).toBe(false);
    return a;
  }

  it("a channel's status: connected, then its current view", async () => {
    const stream = await both("lane", `/trpc/stream.onStatus?input=${q({ username: "SSE_Creator" })}`, 2);
    expect(stream.headers["content-type"]).toBe("text/event-stream");
    expect(stream.frames[0]).toBe("event: connected\ndata: {}");
    expect(stream.frames[1]).toContain('"title":"Frames, byte for byte"');
  });

  it("chat: a new message reaches both, tracked by its id", async () => {
    const path = `/trpc/chat.onMessage?input=${q({ username: "sse_creator" })}`;
    // From id 0 (no message yet): whether the send lands before or after a server subscribes, it comes.
    const pending = both("lane", path, 2, { "last-event-id": "0" });
    await viewer.chat.send.mutate({ username: "sse_creator", text: "hello, frames" });
    const stream = await pending;
    expect(stream.frames[1]).toMatch(/^data: .*hello, frames.*\nid: \d+$/s);
  });

  it("chat: a reconnecting client (Last-Event-ID) gets what came after", async () => {
    const stream = await both("lane", `/trpc/chat.onMessage?input=${q({ username: "sse_creator" })}`, 2, { "last-event-id": "0" });
    expect(stream.frames[1]).toContain("hello, frames");
  });

  it.each([
    ["invalid input", "lane", `/trpc/chat.onMessage?input=${q({ username: "not a name!" })}`],
    ["no such channel", "lane", `/trpc/stream.onStatus?input=${q({ username: "nobody_here" })}`],
    [
      "a batched subscription",
      "adapter",
      `/trpc/stream.onStatus?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: superjson.serialize({ username: "sse_creator" }) }))}`,
    ],
  ] as const)("errors the same way: %s (served by the %s)", async (_label, served, path) => {
    const stream = await both(served, path, 5);
    expect(stream.ended).toBe(true);
  });
});
