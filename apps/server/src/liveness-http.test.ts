import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestKit,
  holdChannelLock,
  sessionsWaitingForLocks,
  signedWebhook,
  TEST_LIVEKIT,
  uniqueName,
  type SignedUp,
  type TestKit,
} from "@onair/api/testing";
import { stream } from "@onair/db";
import { testDatabaseUrl, until } from "@onair/db/testing";
import { buildApp } from "./app";
import { testEnv } from "./test/env";

/** An answer slower than this while gifts wait mid-transaction fails (it is a few ms). */
const PROMPT_MS = 500;
if (!testDatabaseUrl)
  console.log("liveness-http.test.ts skipped: needs PostgreSQL (TEST_DATABASE_URL); PGlite runs one transaction at a time");

/**
 * Issue 21 part 3 over HTTP, through the tRPC fast lane and through tRPC's Fastify adapter: while gifts
 * to the channel are paused inside their transactions, the creator's heartbeat and LiveKit's signed
 * track_published webhook answer at once (they used to wait for the gifts' lock on the broadcast row).
 */
describe.skipIf(!testDatabaseUrl)("liveness over HTTP while gifts are in flight (PostgreSQL)", () => {
  let kit: TestKit;
  let creator: SignedUp;
  let givers: SignedUp[];
  let streamId: string;
  const apps: Record<"on" | "off", { close(): Promise<unknown> } & { port: number }> = {} as never;

  beforeAll(async () => {
    kit = await createTestKit();
    creator = await kit.makeCreator(uniqueName("livehttp"));
    givers = await Promise.all(Array.from({ length: 3 }, () => kit.signUp({ username: uniqueName("giver") })));
    streamId = (await kit.db.select({ id: stream.id }).from(stream).where(eq(stream.userId, creator.user.id)))[0]!.id;
    for (const lane of ["on", "off"] as const) {
      const app = await buildApp({ env: testEnv({ LIVEKIT_API_URL: kit.livekit.apiUrl, TRPC_FAST_LANE: lane }), database: kit.handle });
      await app.listen({ port: 0, host: "127.0.0.1" });
      apps[lane] = { close: () => app.close(), port: (app.server.address() as { port: number }).port };
    }
  });
  afterAll(async () => {
    await Promise.all(Object.values(apps).map((app) => app.close()));
    await kit?.close();
  });

  /** The answer's status and how long it took (Infinity: none within 3 × PROMPT_MS; it is awaited later). */
  async function timed(request: Promise<Response>, pending: Promise<unknown>[]) {
    const start = performance.now();
    const answered = request.then(async (response) => ({
      status: response.status,
      body: await response.text(),
      ms: performance.now() - start,
    }));
    pending.push(answered);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<{ status: number; body: string; ms: number }>(
      (resolve) => (timer = setTimeout(() => resolve({ status: 0, body: "", ms: Infinity }), PROMPT_MS * 3)),
    );
    return Promise.race([answered, late]).finally(() => clearTimeout(timer));
  }

  it.each(["on", "off"] as const)("TRPC_FAST_LANE=%s: heartbeats and track_published answer at once", async (lane) => {
    const base = `http://127.0.0.1:${apps[lane].port}`;
    const live = await creator.caller.stream.goLive();
    const heartbeat = (publishing: boolean) =>
      fetch(`${base}/trpc/stream.heartbeat`, {
        method: "POST",
        headers: { authorization: `Bearer ${creator.token}`, "content-type": "application/json" },
        body: JSON.stringify({ json: { publishing } }),
      });
    const webhook = async () => {
      const signed = await signedWebhook(
        { event: "track_published", room: live.roomName, identity: creator.user.id, track: "TR_cam" },
        TEST_LIVEKIT,
      );
      return fetch(`${base}/api/livekit/webhook`, {
        method: "POST",
        headers: { authorization: signed.authorization, "content-type": "application/webhook+json" },
        body: signed.body,
      });
    };

    const release = await holdChannelLock(kit.handle, streamId);
    const gifts = givers.map((giver) =>
      giver.caller.gift.send({ username: creator.user.username!, giftId: "wave", idempotencyKey: randomUUID() }),
    );
    const pending: Promise<unknown>[] = [];
    const answers: Record<string, { status: number; body: string; ms: number }> = {};
    try {
      await until(
        // The gifts go into the channel's batch (group commit): its one transaction waits for the lock.
        async () => (await sessionsWaitingForLocks(kit.db)) === 1,
        20_000,
        () => "for the gifts to pause",
      );
      answers["heartbeat({ publishing: false })"] = await timed(heartbeat(false), pending);
      answers.track_published = await timed(webhook(), pending);
      answers["heartbeat({ publishing: true })"] = await timed(heartbeat(true), pending);
    } finally {
      await release();
    }
    await Promise.allSettled(pending);
    expect((await Promise.allSettled(gifts)).map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
    for (const [name, answer] of Object.entries(answers)) {
      expect({ name, status: answer.status, prompt: answer.ms < PROMPT_MS }).toEqual({ name, status: 200, prompt: true });
    }
    expect(JSON.parse(answers.track_published.body)).toEqual({ outcome: "applied" });
    expect(JSON.parse(answers["heartbeat({ publishing: true })"].body)).toEqual({ result: { data: { json: { isLive: true } } } });
  });
});
