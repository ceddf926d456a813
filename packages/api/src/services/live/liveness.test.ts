import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { WebhookReceiver } from "livekit-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { broadcast, chatMessage, earningsOf, giftTransaction, stream, wallet } from "@onair/db";
import { createTestDatabase, testDatabaseUrl, until } from "@onair/db/testing";
import { createTestKit, TEST_LIVEKIT, uniqueName, type SignedUp, type TestKit } from "../../test/helpers";
import { holdChannelLock as holdLock, sessionsWaitingForLocks } from "../../test/locks";
import { signedWebhook } from "../../test/webhooks";
import type { Services } from "../index";
import { createSweeper } from "./sweeper";
import { HEARTBEAT_TIMEOUT_SECONDS, sweepBroadcasts } from "./broadcasts";
import { channelSends } from "../sends/channel-sends";
import { applyLiveKitWebhook } from "../ingress/webhooks";

/** A heartbeat, webhook or sweep slower than this while gifts are in flight fails (it is ~5–30 ms here). */
const PROMPT_MS = 500;
const SKIP_REASON = "PGlite has one connection and runs every transaction in turn, so nothing can wait behind a gift there";
if (!testDatabaseUrl) console.log(`liveness.test.ts skipped: needs PostgreSQL (TEST_DATABASE_URL); ${SKIP_REASON}`);

/**
 * The creator's liveness (stream.heartbeat, LiveKit's track_published, the sweeper) takes no lock a gift
 * or chat transaction holds: a gift storm cannot make the sweeper end a stream that is live.
 */
describe.skipIf(!testDatabaseUrl)("liveness never waits behind gifts or chat (PostgreSQL)", () => {
  let kit: TestKit;
  let creator: SignedUp;
  let givers: SignedUp[];
  let chatters: SignedUp[];
  let username: string;
  let streamId: string;
  let unreachable: Services;
  const receiver = new WebhookReceiver(TEST_LIVEKIT.apiKey, TEST_LIVEKIT.apiSecret);
  const RICH = 1_000_000;

  beforeAll(async () => {
    kit = await createTestKit();
    username = uniqueName("storm");
    creator = await kit.makeCreator(username);
    givers = await Promise.all(Array.from({ length: 8 }, () => kit.signUp({ username: uniqueName("giver") })));
    chatters = await Promise.all(Array.from({ length: 12 }, () => kit.signUp({ username: uniqueName("chat") })));
    for (const giver of givers) await kit.db.update(wallet).set({ balance: RICH }).where(eq(wallet.userId, giver.user.id));
    streamId = (await kit.db.select({ id: stream.id }).from(stream).where(eq(stream.userId, creator.user.id)))[0]!.id;
    // A database that does not answer: a sweep through it marks an outage, so the next sweep rewrites every open broadcast.
    const gone = await createTestDatabase();
    await gone.close();
    unreachable = { ...kit.services, db: gone.db };
  }, 60_000);
  afterAll(() => kit?.close());

  const gift = (giver: SignedUp) => giver.caller.gift.send({ username, giftId: "wave", idempotencyKey: randomUUID() });
  const chat = (chatter: SignedUp) => chatter.caller.chat.send({ username, text: `hello ${randomUUID().slice(0, 8)}` });
  const waiting = () => sessionsWaitingForLocks(kit.db);

  /** Every liveness path once: each answer's time in ms (Infinity: not answered within 3 × PROMPT_MS). */
  async function probe(room: string, pending: Promise<unknown>[]) {
    const sweeper = createSweeper(kit.services);
    const paths: [string, () => Promise<unknown>][] = [
      ["heartbeat", () => creator.caller.stream.heartbeat()],
      ["heartbeat({ publishing: false })", () => creator.caller.stream.heartbeat({ publishing: false })],
      [
        "track_published",
        async () => {
          const signed = await signedWebhook({ event: "track_published", room, identity: creator.user.id, track: "TR_cam" }, TEST_LIVEKIT);
          expect(await applyLiveKitWebhook(kit.services, await receiver.receive(signed.body, signed.authorization))).toBe("applied");
        },
      ],
      // After an outage the sweep rewrites every open broadcast's silence, this one's too.
      [
        "sweep",
        () =>
          sweeper.sweep(unreachable).then(
            () => expect.unreachable(),
            () => sweeper.sweep(),
          ),
      ],
    ];
    const times: Record<string, number> = {};
    for (const [name, call] of paths) {
      const start = performance.now();
      const answered = call().then(() => performance.now() - start);
      pending.push(answered);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<number>((resolve) => (timer = setTimeout(() => resolve(Infinity), PROMPT_MS * 3)));
      times[name] = await Promise.race([answered, late]).finally(() => clearTimeout(timer));
    }
    return times;
  }

  /** The liveness calls slower than PROMPT_MS, with their times. */
  const slow = (times: Record<string, number>) => Object.entries(times).filter(([, ms]) => !(ms < PROMPT_MS));

  const holdChannelLock = () => holdLock(kit.handle, streamId);

  it("gifts and chat paused mid-transaction hold up no heartbeat, track_published or sweep", async () => {
    const live = await creator.caller.stream.goLive();
    const release = await holdChannelLock();
    const sends = [...givers.slice(0, 3).map(gift), ...chatters.slice(0, 2).map(chat)];
    const pending: Promise<unknown>[] = [];
    let times: Record<string, number>;
    try {
      // The channel's batch (group commit: one transaction for the sends that came together) waits for the lock.
      await until(
        async () => (await waiting()) === 1,
        20_000,
        () => "for the gifts and messages to reach the channel lock",
      );
      times = await probe(live.roomName, pending);
    } finally {
      await release();
    }
    const results = await Promise.allSettled([...sends, ...pending]);
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(slow(times!)).toEqual([]);
  });

  it("under a storm of gifts and chat every liveness call answers promptly, and the ledger stays exact", async () => {
    const live = await creator.caller.stream.goLive();
    let storming = true;
    let inFlight = 0;
    let giftsDone = 0;
    let messages = 0;
    const giftLoop = async (giver: SignedUp) => {
      for (; storming; giftsDone++) {
        inFlight++;
        await gift(giver).finally(() => inFlight--);
      }
    };
    const chatLoop = async (chatter: SignedUp) => {
      while (storming) {
        // Within 0.5 s of this chatter's last message (an earlier test's) the chat says wait: that is no failure.
        const sent = await chat(chatter).catch((error: { code?: string }) => {
          if (error.code !== "TOO_MANY_REQUESTS") throw error;
        });
        if (sent) messages++;
        // Pacing the load (one message per sender per 0.5 s is the chat's rate limit), not waiting for an event.
        await new Promise((resolve) => setTimeout(resolve, 600));
      }
    };
    const storm = Promise.allSettled([...givers.map(giftLoop), ...chatters.map(chatLoop)]);
    const pending: Promise<unknown>[] = [];
    const rounds: Record<string, number>[] = [];
    let stormResults: PromiseSettledResult<unknown>[] = [];
    try {
      await until(
        () => giftsDone >= 20,
        30_000,
        () => "for the storm to get going",
      );
      // At least 8 rounds, and on until 150 more gifts have gone through meanwhile.
      const start = giftsDone;
      for (let round = 0; round < 8 || (giftsDone - start < 150 && round < 500); round++) {
        expect(inFlight, "gifts in flight while probing").toBeGreaterThan(0);
        rounds.push(await probe(live.roomName, pending));
      }
    } finally {
      storming = false;
      stormResults = await storm;
      await Promise.allSettled(pending);
    }
    expect(stormResults.filter((r) => r.status === "rejected")).toEqual([]);
    expect(rounds.flatMap(slow)).toEqual([]);
    expect(giftsDone).toBeGreaterThanOrEqual(170);
    expect(messages).toBeGreaterThan(0);
    expect((await kit.db.select().from(broadcast).where(eq(broadcast.id, live.broadcastId)))[0]!.endedAt).toBeNull();

    // Exact to the coin: what givers lost is what the creator earned, one gift line in chat per transaction.
    const ledger = await kit.db.select().from(giftTransaction).where(eq(giftTransaction.creatorId, creator.user.id));
    const earned = ledger.reduce((sum, row) => sum + row.price, 0);
    expect(await earningsOf(kit.db, creator.user.id)).toBe(earned);
    for (const giver of givers) {
      const spent = ledger.filter((row) => row.senderId === giver.user.id).reduce((sum, row) => sum + row.price, 0);
      expect((await kit.db.select().from(wallet).where(eq(wallet.userId, giver.user.id)))[0]!.balance).toBe(RICH - spent);
    }
    const lines = await kit.db.select().from(chatMessage).where(eq(chatMessage.kind, "gift"));
    expect(lines).toHaveLength(ledger.length);
  });

  it("ending waits for the gift in flight; gifts that come after the end are refused, never let in ahead of it", async () => {
    const live = await creator.caller.stream.goLive();
    const balance = async (user: SignedUp) => ({
      ...(await kit.db.select().from(wallet).where(eq(wallet.userId, user.user.id)))[0]!,
      earnings: await earningsOf(kit.db, user.user.id),
    });
    const [earningsBefore, ...lateBefore] = await Promise.all([balance(creator), balance(givers[1]!), balance(givers[2]!)]);
    const ledger = () => kit.db.select().from(giftTransaction).where(eq(giftTransaction.broadcastId, live.broadcastId));
    const known = new Set((await ledger()).map((row) => row.id));
    const release = await holdChannelLock();
    let first: Promise<unknown> = Promise.resolve();
    let ending: Promise<unknown> = Promise.resolve();
    let late: Promise<unknown>[] = [];
    try {
      // A gift in flight (its batch waits for the channel's lock), then the end, then two more gifts (the next batch).
      first = gift(givers[0]!);
      await until(
        async () => (await waiting()) === 1,
        20_000,
        () => "for the first gift to reach the channel lock",
      );
      ending = creator.caller.stream.end();
      await until(
        async () => (await waiting()) === 2,
        20_000,
        () => "for the end to wait for it",
      );
      late = givers.slice(1, 3).map(gift);
      await until(
        () => channelSends(kit.db).pending === 2,
        20_000,
        () => "for the late gifts to wait",
      );
    } finally {
      await release();
    }
    const outcome = (r: PromiseSettledResult<unknown>) => (r.status === "rejected" ? (r.reason as { code: string }).code : "sent");
    const [settled, ended, ...lateResults] = await Promise.allSettled([first, ending, ...late]);
    expect([settled, ended].map(outcome)).toEqual(["sent", "sent"]);
    expect(lateResults.map(outcome)).toEqual(["PRECONDITION_FAILED", "PRECONDITION_FAILED"]);

    const rows = (await ledger()).filter((row) => !known.has(row.id));
    expect(rows.map((row) => row.senderId)).toEqual([givers[0]!.user.id]);
    expect((await balance(creator)).earnings).toBe(earningsBefore.earnings + rows[0]!.price);
    expect(await Promise.all([balance(givers[1]!), balance(givers[2]!)])).toEqual(lateBefore);
  });

  it("a sweep that waits for a gift in flight spares the broadcast whose heartbeat came meanwhile", async () => {
    const live = await creator.caller.stream.goLive();
    await kit.db.execute(
      sql`update broadcast set last_heartbeat_at = now() - make_interval(secs => ${HEARTBEAT_TIMEOUT_SECONDS + 15}) where id = ${live.broadcastId}`,
    );
    const release = await holdChannelLock();
    let sent: Promise<unknown> = Promise.resolve();
    let sweep: Promise<unknown[]> = Promise.resolve([]);
    let heartbeat: Promise<unknown> = Promise.resolve();
    try {
      sent = gift(givers[0]!);
      await until(
        async () => (await waiting()) === 1,
        20_000,
        () => "for the gift to reach the channel lock",
      );
      // The silent broadcast is the sweep's to end, after the gift in flight.
      sweep = sweepBroadcasts(kit.services);
      await until(
        async () => (await waiting()) === 2,
        20_000,
        () => "for the sweep to wait for the gift",
      );
      heartbeat = creator.caller.stream.heartbeat();
      expect(await heartbeat).toEqual({ isLive: true });
    } finally {
      await release();
    }
    await Promise.allSettled([sent, heartbeat]);
    expect(await sweep).toEqual([]);
    await expect(sent).resolves.toMatchObject({ replayed: false });
    expect((await kit.db.select().from(broadcast).where(eq(broadcast.id, live.broadcastId)))[0]!.endedAt).toBeNull();
  });
});
