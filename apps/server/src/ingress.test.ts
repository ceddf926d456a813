import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestKit, signedWebhook, uniqueName, type SignedUp, type TestKit } from "@onair/api/testing";
import { buildApp } from "./app";
import { loadEnv, EnvError } from "./env";
import { testEnv } from "./test/env";
import { LANES, laneCaller, postWebhook, type Lane, type LaneAnswer } from "./test/lanes";

/**
 * Streaming software end to end over HTTP: the key through both lanes (fast lane on a listening server,
 * Fastify + tRPC's adapter through inject), going live and ending through signed webhooks, and a log
 * (at trace level) that never holds a stream key.
 */
let kit: TestKit;
const lines: string[] = [];
const logs = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(chunk.toString());
    done();
  },
});

async function start(extra: Record<string, string> = {}) {
  const env = testEnv({ LIVEKIT_API_URL: kit.livekit.apiUrl, ...extra });
  const app = await buildApp({ env, database: kit.handle, logger: { level: "trace", stream: logs } });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  return { app, url };
}

beforeAll(async () => {
  kit = await createTestKit();
});
afterAll(() => kit?.close());

describe("streaming software over HTTP", () => {
  let app: Awaited<ReturnType<typeof start>>["app"];
  let url: string;
  let creator: SignedUp;

  beforeAll(async () => {
    ({ app, url } = await start());
    creator = await kit.makeCreator(uniqueName("obs"));
  });
  afterAll(() => app?.close());

  /** One call through the fast lane (fetch to the listening server) or the official adapter (inject). */
  const call = (lane: Lane, kind: "query" | "mutation", path: string, input?: unknown, who: SignedUp | null = creator) =>
    laneCaller(app, url)(lane, kind, path, input, who);
  const webhook = (fields: Parameters<typeof postWebhook>[1]) => postWebhook(app, fields);
  const data = (answer: LaneAnswer) => answer.body.result?.data.json as Record<string, unknown>;

  for (const lane of LANES) {
    it(`${lane}: create, go live through signed ingress_started, CONFLICT for goLive, End stream; the key in no log line`, async () => {
      const created = await call(lane, "mutation", "ingress.create", { kind: "rtmp" });
      expect(created.status).toBe(200);
      const { streamKey } = data(created) as { streamKey: string };
      expect(data(await call(lane, "query", "ingress.get"))).toMatchObject({ kind: "rtmp", streamKey });
      // copied: the double's own object moves to a fresh room once the broadcast ends
      const info = { ...[...kit.livekitDouble.ingresses.values()].find((item) => item.streamKey === streamKey)! };

      expect(await webhook({ event: "ingress_started", ingress: { ingressId: info.ingressId, roomName: info.roomName, streamKey } })).toBe(
        "applied",
      );
      const view = await call(lane, "query", "stream.byUsername", { username: creator.user.username }, null);
      expect(data(view)).toMatchObject({ isLive: true, mode: "ingress" });
      expect(JSON.stringify(view.body)).not.toContain(streamKey);

      const goLive = await call(lane, "mutation", "stream.goLive");
      expect(goLive.status).toBe(409);
      expect(goLive.body.error?.json.message).toMatch(/OBS\) is live/);

      // a reconnect inside the grace is the same broadcast
      expect(await webhook({ event: "ingress_ended", ingress: { ingressId: info.ingressId, roomName: info.roomName, streamKey } })).toBe(
        "applied",
      );
      expect(await webhook({ event: "ingress_started", ingress: { ingressId: info.ingressId, roomName: info.roomName, streamKey } })).toBe(
        "applied",
      );

      const ended = await call(lane, "mutation", "stream.end");
      expect(data(ended)).toMatchObject({ stream: { isLive: false } });
      expect(kit.livekitDouble.calls.some((c) => c.method === "DeleteRoom" && c.body.room === info.roomName)).toBe(true);

      // a webhook someone forged with the key inside is refused, and its body is not logged either
      const forged = await signedWebhook(
        { event: "ingress_started", ingress: { ingressId: info.ingressId, roomName: info.roomName, streamKey } },
        { apiKey: "x", apiSecret: "not-the-secret-0123456789abcdefghij" },
      );
      const refused = await app.inject({
        method: "POST",
        url: "/api/livekit/webhook",
        headers: { "content-type": "application/webhook+json", authorization: forged.authorization },
        payload: forged.body,
      });
      expect(refused.statusCode).toBe(401);

      expect(lines.join("").length).toBeGreaterThan(0);
      expect(lines.join("")).not.toContain(streamKey);
      expect((await call(lane, "mutation", "ingress.delete")).status).toBe(200);
    });
  }
});

describe("INGRESS=off", () => {
  it("hides the feature and refuses its procedures on both lanes, naming the switch", async () => {
    const { app, url } = await start({ INGRESS: "off" });
    const creator = await kit.makeCreator(uniqueName("off"));
    try {
      const available = await fetch(`${url}/trpc/ingress.available`);
      expect(((await available.json()) as { result: { data: { json: boolean } } }).result.data.json).toBe(false);
      const headers = { authorization: `Bearer ${creator.token}`, "content-type": "application/json" };
      const fast = await fetch(`${url}/trpc/ingress.create`, { method: "POST", headers, body: JSON.stringify({ json: { kind: "rtmp" } }) });
      const adapter = await app.inject({
        method: "POST",
        url: "/trpc/ingress.create",
        headers,
        payload: JSON.stringify({ json: { kind: "rtmp" } }),
      });
      for (const [status, body] of [
        [fast.status, await fast.text()],
        [adapter.statusCode, adapter.body],
      ] as const) {
        expect(status).toBe(404);
        expect(body).toContain("INGRESS=off");
      }
    } finally {
      await app.close();
    }
  });

  it("is on by default; anything but on/off is refused at start", () => {
    expect(loadEnv({ NODE_ENV: "test" }).INGRESS).toBe("on");
    expect(() => loadEnv({ NODE_ENV: "test", INGRESS: "maybe" })).toThrow(EnvError);
  });
});
