import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestKit, type TestKit } from "@onair/api/testing";
import { buildApp } from "../app";
import { testEnv } from "../test/env";
import { laneOffReason } from "./index";

/** The fast lane as a listening server sees it: request logs, and a shutdown that lets calls under way finish. */

let kit: TestKit;
const lines: Record<string, unknown>[] = [];
const logs = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});

async function listening(extra: Record<string, string> = {}) {
  const env = testEnv({ PORT: "0", LIVEKIT_API_URL: kit.livekit.apiUrl, ...extra });
  const app = await buildApp({ env, database: kit.handle, logger: { level: "info", stream: logs } });
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  return { app, url: address };
}

beforeAll(async () => {
  kit = await createTestKit();
});
afterAll(async () => {
  await kit?.close();
});

describe("TRPC_FAST_LANE", () => {
  it.each([
    ["on", { trpcLane: "on" }, false],
    ["off", { trpcLane: "off", reason: "TRPC_FAST_LANE=off" }, true],
  ] as const)("%s: the start log names the lane serving tRPC, and that lane serves", async (setting, logged, chunked) => {
    const before = lines.length;
    const { app, url } = await listening({ TRPC_FAST_LANE: setting });
    try {
      expect(lines.slice(before).filter((line) => "trpcLane" in line)).toEqual([expect.objectContaining({ level: 30, ...logged })]);
      const response = await fetch(`${url}/trpc/gift.catalog?batch=1&input=${encodeURIComponent("{}")}`);
      expect(response.status).toBe(200);
      // The official adapter streams its answer (chunked); the lane sends it sized, and logs it with `lane`.
      expect(response.headers.get("transfer-encoding") === "chunked").toBe(chunked);
      expect(lines.slice(before).some((line) => line.lane === "trpc")).toBe(!chunked);
    } finally {
      await app.close();
    }
  });

  it("says why the lane is off when the helmet options are not static", () => {
    expect(laneOffReason({ setting: "on", securityHeaders: null })).toMatch(/helmet options are not static/);
    expect(laneOffReason({ setting: "on", securityHeaders: [] })).toBeNull();
  });
});

describe("the fast lane", () => {
  it("logs each call it answers as Fastify does, without its credentials", async () => {
    const { app, url } = await listening();
    const viewer = await kit.signUp({ username: "lane_logs" });
    try {
      const response = await fetch(`${url}/trpc/account.me?batch=1&input=${encodeURIComponent("{}")}`, {
        headers: { authorization: `Bearer ${viewer.token}` },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("transfer-encoding")).toBeNull(); // sized: the lane, not the official adapter
      expect(response.headers.get("keep-alive")).toBe("timeout=72"); // Fastify's server settings
      const logged = lines.find(
        (line) => line.msg === "request completed" && (line.req as { url?: string })?.url?.startsWith("/trpc/account.me"),
      );
      expect(logged).toMatchObject({ level: 30, res: { statusCode: 200 }, req: { method: "GET" } });
      expect(typeof logged?.responseTime).toBe("number");
      expect(JSON.stringify(lines)).not.toContain(viewer.token);
    } finally {
      await app.close();
    }
  });

  it("finishes the calls under way before close resolves, so the database is never used after", async () => {
    const { app, url } = await listening();
    // Each viewer's first call looks its session up in the database.
    const viewers = await Promise.all(Array.from({ length: 20 }, (_, index) => kit.signUp({ username: `lane_drain_${index}` })));
    const before = lines.length;
    // Close as soon as the server has taken the first call (its handler runs before this listener).
    const firstCall = new Promise<void>((resolve) => app.server.once("request", () => resolve()));
    const calls = viewers.map((viewer) =>
      fetch(`${url}/trpc/account.me?batch=1&input=${encodeURIComponent("{}")}`, {
        headers: { authorization: `Bearer ${viewer.token}` },
      }).then(
        (response) => response.status,
        () => "cut off",
      ),
    );
    await firstCall;
    await app.close();
    const answered = lines.slice(before).filter((line) => line.msg === "request completed");
    const statuses = await Promise.all(calls);
    // The lane was mid-way through calls at close; each was answered before close resolved, none failed.
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.every((line) => (line.res as { statusCode: number }).statusCode === 200)).toBe(true);
    expect(statuses.every((status) => status === 200 || status === "cut off" || status === 503)).toBe(true);
    expect(lines.slice(before).filter((line) => (line.level as number) >= 50)).toEqual([]);
    // Every call has settled and nothing logged an error after close.
    expect(lines.slice(before).filter((line) => line.msg === "fast lane failed")).toEqual([]);
  });
});
