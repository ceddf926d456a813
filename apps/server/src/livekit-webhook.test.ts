import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { broadcast, livekitEvent } from "@onair/db";
import { createTestKit, signedWebhook, TEST_LIVEKIT, uniqueName, type SignedUp, type TestKit } from "@onair/api/testing";
import { buildApp } from "./app";
import { loadEnv } from "./env";

describe("POST /api/livekit/webhook", () => {
  let kit: TestKit;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let creator: SignedUp;
  let roomName: string;
  let broadcastId: string;

  beforeAll(async () => {
    kit = await createTestKit();
    app = await buildApp({
      env: loadEnv({
        NODE_ENV: "test",
        LIVEKIT_API_KEY: TEST_LIVEKIT.apiKey,
        LIVEKIT_API_SECRET: TEST_LIVEKIT.apiSecret,
        LIVEKIT_API_URL: kit.livekit.apiUrl,
        SWEEP_INTERVAL_MS: "0",
      }),
      database: kit.handle,
    });
    creator = await kit.makeCreator(uniqueName("wh"));
    ({ roomName, broadcastId } = await creator.caller.stream.goLive());
  });
  afterAll(async () => {
    await app?.close();
    await kit?.close();
  });

  const post = (body: string, authorization?: string) =>
    app.inject({
      method: "POST",
      url: "/api/livekit/webhook",
      headers: { "content-type": "application/webhook+json", ...(authorization ? { authorization } : {}) },
      payload: body,
    });
  const current = async () => (await kit.db.select().from(broadcast).where(eq(broadcast.id, broadcastId)))[0]!;
  const eventCount = async () => (await kit.db.select().from(livekitEvent)).length;

  it("refuses a missing, foreign or tampered signature with 401 and changes nothing", async () => {
    const finished = await signedWebhook({ event: "room_finished", room: roomName }, TEST_LIVEKIT);
    const foreign = await signedWebhook(
      { event: "room_finished", room: roomName },
      { apiKey: TEST_LIVEKIT.apiKey, apiSecret: "someone-elses-secret-0123456789abcdef" },
    );
    const tampered = finished.body.replace(roomName, `${roomName.slice(0, -1)}x`);
    const responses = [
      await post(finished.body),
      await post(finished.body, foreign.authorization),
      await post(tampered, finished.authorization),
      await post(finished.body, "not-a-jwt"),
    ];
    for (const response of responses) {
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ error: "Unauthorized" });
      expect(response.body).not.toMatch(/at \w+ \(/); // no stack trace
    }
    expect((await current()).endedAt).toBeNull();
    expect(await eventCount()).toBe(0);
  });

  it("applies a signed event once; a replay is recognised", async () => {
    const published = await signedWebhook({ event: "track_published", room: roomName, identity: creator.user.id }, TEST_LIVEKIT);
    const first = await post(published.body, published.authorization);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ outcome: "applied" });
    expect((await current()).publishingAt).toBeInstanceOf(Date);
    const replay = await post(published.body, published.authorization);
    expect(replay.json()).toEqual({ outcome: "duplicate" });
  });

  it("room_finished for the open broadcast's room ends it; for a stale room it changes nothing", async () => {
    const stale = await signedWebhook({ event: "room_finished", room: "broadcast-00000000-0000-0000-0000-000000000000" }, TEST_LIVEKIT);
    expect((await post(stale.body, stale.authorization)).json()).toEqual({ outcome: "stale" });
    expect((await current()).endedAt).toBeNull();

    const finished = await signedWebhook({ event: "room_finished", room: roomName }, TEST_LIVEKIT);
    const response = await post(finished.body, finished.authorization);
    expect(response.json()).toEqual({ outcome: "applied" });
    expect((await current()).endReason).toBe("room_finished");
    const view = await kit.anonymous.stream.byUsername({ username: creator.user.username! });
    expect(view.isLive).toBe(false);
  });
});
