import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatMessage, creatorEarnings, giftTransaction, wallet, type DatabaseHandle } from "@onair/db";
import { testDatabaseUrl } from "@onair/db/testing";
import { createTRPCContext } from "../../context";
import { appRouter } from "../../root";
import { createTestKit, uniqueName, type SignedUp, type TestKit } from "../../test/helpers";
import { subscribe, waitFor } from "../../test/subscribe";
import { createCallerFactory } from "../../trpc";
import { authorOf } from "../chat/chat";
import type { ChatEvent } from "../chat/chat-bus";
import { getChannel } from "../live/channels";
import { channelSends } from "./channel-sends";

const RICH = 100_000;
const createCaller = createCallerFactory(appRouter);
const codeOf = (result: PromiseSettledResult<unknown>) => (result.status === "rejected" ? (result.reason as { code?: string }).code : "OK");

/**
 * Group commit per channel (channel-sends.ts) keeps every rule exact. On PostgreSQL the sends go
 * through two instances (two pools, each batching on its own; the channel's lock orders their batches).
 */
describe(`gift and chat sends batched per channel (${testDatabaseUrl ? "PostgreSQL, two instances" : "PGlite"})`, () => {
  let kit: TestKit;
  let second: DatabaseHandle;
  const setBalance = (user: SignedUp, balance: number) => kit.db.update(wallet).set({ balance }).where(eq(wallet.userId, user.user.id));
  /** The user's calls through instance `at` (0 or 1). */
  const via = (user: SignedUp, at: number) =>
    at === 0
      ? user.caller
      : createCaller(createTRPCContext({ headers: user.headers, db: second.db, auth: kit.auth, services: kit.services }));

  beforeAll(async () => {
    kit = await createTestKit();
    second = kit.handle.kind === "postgres" ? kit.handle.openAnother() : kit.handle;
  });
  afterAll(async () => {
    if (second && second !== kit.handle) await second.close();
    await kit?.close();
  });

  it("a storm of gifts and messages: each answered alone, exact in every snapshot, one line each, delivered once in order", async () => {
    const creator = await kit.makeCreator(uniqueName("star"));
    await creator.caller.stream.goLive();
    const username = creator.user.username!;
    const fans = await Promise.all(Array.from({ length: 6 }, () => kit.signUp({ username: uniqueName("fan") })));
    const [poor, banned] = await Promise.all([kit.signUp({ username: uniqueName("poor") }), kit.signUp({ username: uniqueName("ban") })]);
    const chatters = await Promise.all(Array.from({ length: 12 }, () => kit.signUp({ username: uniqueName("chat") })));
    await Promise.all([...fans.map((fan) => setBalance(fan, RICH)), setBalance(poor, 25), setBalance(banned, RICH)]);
    await creator.caller.moderation.ban({ channel: username, username: banned.user.username! });
    const everyone = [...fans, poor, banned].map((user) => user.user.id);
    const live = subscribe<ChatEvent>(kit, undefined, (caller) => caller.chat.onMessage({ username }));
    await creator.caller.chat.send({ username, text: "here we go" });
    await live.next((e) => e.type === "message" && e.text === "here we go", "the subscription is live");
    const batchesBefore = channelSends(kit.db).stats.batches;

    // A reader during the storm: what the senders spent, the ledger and the earnings, in one statement (one snapshot).
    const seen: { spent: number; ledger: number; earnings: number; negative: number }[] = [];
    let storming = true;
    const reader = (async () => {
      while (storming) {
        await new Promise((resolve) => setImmediate(resolve)); // PGlite answers in microtasks: let the sends run
        const result: unknown = await kit.db.execute(sql`
          select (select coalesce(sum(${RICH} - ${wallet.balance}), 0)::int from ${wallet} where ${inArray(
            wallet.userId,
            everyone.filter((id) => id !== poor.user.id),
          )})
                   + (select coalesce(sum(25 - ${wallet.balance}), 0)::int from ${wallet} where ${wallet.userId} = ${poor.user.id}) as spent,
                 (select coalesce(sum(${giftTransaction.price}), 0)::int from ${giftTransaction} where ${giftTransaction.creatorId} = ${creator.user.id}) as ledger,
                 (select coalesce(sum(${creatorEarnings.amount}), 0)::int from ${creatorEarnings} where ${creatorEarnings.userId} = ${creator.user.id}) as earnings,
                 (select count(*)::int from ${wallet} where ${wallet.balance} < 0) as negative`);
        const [row] = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<
          keyof (typeof seen)[number],
          number
        >[];
        seen.push({
          spent: Number(row!.spent),
          ledger: Number(row!.ledger),
          earnings: Number(row!.earnings),
          negative: Number(row!.negative),
        });
      }
    })();

    const twice = Array.from({ length: 6 }, () => randomUUID()); // each sent twice at once: one gift
    const gifts = [
      ...fans.flatMap((fan, f) =>
        Array.from({ length: 8 }, (_, i) =>
          via(fan, (f + i) % 2).gift.send({ username, giftId: i % 2 ? "heart" : "wave", idempotencyKey: randomUUID() }),
        ),
      ),
      ...twice.flatMap((key, i) => [0, i % 2].map((at) => via(fans[i]!, at).gift.send({ username, giftId: "wave", idempotencyKey: key }))),
      ...Array.from({ length: 5 }, (_, i) => via(poor, i % 2).gift.send({ username, giftId: "heart", idempotencyKey: randomUUID() })),
      ...Array.from({ length: 3 }, (_, i) => via(banned, i % 2).gift.send({ username, giftId: "wave", idempotencyKey: randomUUID() })),
    ];
    const messages = chatters.map((chatter, i) => via(chatter, i % 2).chat.send({ username, text: `hello ${i}` }));
    const results = await Promise.allSettled(gifts);
    const said = await Promise.allSettled(messages);
    storming = false;
    await reader;

    // Every snapshot a reader saw was exact, and no balance was ever below zero.
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((s) => s.spent !== s.ledger || s.ledger !== s.earnings || s.negative > 0)).toEqual([]);
    // Each request got its own answer.
    const fanResults = results.slice(0, 48 + 12);
    expect(fanResults.map(codeOf).filter((code) => code !== "OK")).toEqual([]);
    expect(results.slice(60, 65).map(codeOf).sort()).toEqual(["OK", "OK", "PAYMENT_REQUIRED", "PAYMENT_REQUIRED", "PAYMENT_REQUIRED"]);
    expect(results.slice(65).map(codeOf)).toEqual(["FORBIDDEN", "FORBIDDEN", "FORBIDDEN"]);
    expect(said.map(codeOf).filter((code) => code !== "OK")).toEqual([]);
    // The same key twice is one gift (same transaction in both answers).
    const ok = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    for (let i = 0; i < twice.length; i++) {
      const [a, b] = [48 + 2 * i, 49 + 2 * i].map((at) => (results[at] as PromiseFulfilledResult<(typeof ok)[number]>).value);
      expect(a!.transaction.id).toBe(b!.transaction.id);
    }
    const ledger = await kit.db.select().from(giftTransaction).where(eq(giftTransaction.creatorId, creator.user.id));
    expect(ledger).toHaveLength(48 + 6 + 2);
    expect(new Set(ok.map((r) => r.transaction.id)).size).toBe(ledger.length);
    expect(await kit.db.select({ balance: wallet.balance }).from(wallet).where(eq(wallet.userId, poor.user.id))).toEqual([{ balance: 5 }]);
    expect(ledger.filter((row) => row.senderId === banned.user.id)).toEqual([]);
    expect((await creator.caller.wallet.balance()).earnings).toBe(ledger.reduce((sum, row) => sum + row.price, 0));

    // One line per gift and per message; every subscriber sees the stored lines once, in id (commit) order.
    const lines = await kit.db
      .select({ id: chatMessage.id, kind: chatMessage.kind, meta: chatMessage.meta })
      .from(chatMessage)
      .where(and(eq(chatMessage.streamId, ledger[0]!.streamId)))
      .orderBy(asc(chatMessage.id));
    const giftLines = lines.filter((line) => line.kind === "gift").map((line) => (line.meta as { transactionId: string }).transactionId);
    expect(giftLines.sort()).toEqual(ledger.map((row) => row.id).sort());
    expect(lines.filter((line) => line.kind === "message")).toHaveLength(chatters.length + 1);
    await waitFor(() => live.received.filter((e) => e.type === "message").length >= lines.length, "every line delivered");
    expect(live.received.flatMap((e) => (e.type === "message" ? [e.id] : []))).toEqual(lines.map((line) => line.id));
    await live.stop();
    // Grouped: fewer transactions than sends.
    expect(channelSends(kit.db).stats.batches - batchesBefore).toBeLessThan(gifts.length + messages.length);
  });

  it("gifts racing the end of the stream: each one stored and announced, or refused; none after the end", async () => {
    const creator = await kit.makeCreator(uniqueName("ending"));
    await creator.caller.stream.goLive();
    const username = creator.user.username!;
    const fans = await Promise.all(Array.from({ length: 4 }, () => kit.signUp({ username: uniqueName("fan") })));
    await Promise.all(fans.map((fan) => setBalance(fan, RICH)));
    const send = (fan: SignedUp, at: number) => via(fan, at).gift.send({ username, giftId: "wave", idempotencyKey: randomUUID() });
    const first = fans.flatMap((fan, f) => Array.from({ length: 10 }, (_, i) => send(fan, (f + i) % 2)));
    await Promise.race(first); // some are under way, some have landed
    await creator.caller.stream.end();
    const late = await Promise.allSettled(fans.map((fan, f) => send(fan, f % 2)));
    const racing = await Promise.allSettled(first);

    expect(late.map(codeOf)).toEqual(fans.map(() => "PRECONDITION_FAILED"));
    expect(racing.map(codeOf).filter((code) => code !== "OK" && code !== "PRECONDITION_FAILED")).toEqual([]);
    const accepted = racing.flatMap((r) => (r.status === "fulfilled" ? [r.value.transaction.id] : []));
    const ledger = await kit.db
      .select({ id: giftTransaction.id })
      .from(giftTransaction)
      .where(eq(giftTransaction.creatorId, creator.user.id));
    expect(ledger.map((row) => row.id).sort()).toEqual(accepted.sort());
    const spent = await kit.db
      .select({ spent: sql<number>`coalesce(sum(${RICH} - ${wallet.balance}), 0)::int` })
      .from(wallet)
      .where(
        inArray(
          wallet.userId,
          fans.map((fan) => fan.user.id),
        ),
      );
    expect(Number(spent[0]!.spent)).toBe(accepted.length * 5);
  });

  it("a message whose clientId was stored meanwhile (found under the lock, not by the check before it) is answered with the stored one", async () => {
    const creator = await kit.makeCreator(uniqueName("retry"));
    const fan = await kit.signUp({ username: uniqueName("fan") });
    const username = creator.user.username!;
    const clientMessageId = randomUUID();
    const first = await fan.caller.chat.send({ username, text: "sent once", clientMessageId });
    // As when a retry's check ran just before the first copy committed: the batch itself meets the stored clientId.
    const channel = await getChannel(kit.db, username);
    const sender = authorOf(fan.user);
    const again = await channelSends(kit.db).submit(channel.id, {
      kind: "chat",
      channel,
      sender,
      text: "sent once",
      clientId: clientMessageId,
    });
    expect(again).toEqual(first);
    const stored = await kit.db.select({ id: chatMessage.id }).from(chatMessage).where(eq(chatMessage.clientId, clientMessageId));
    expect(stored).toEqual([{ id: first.id }]);
  });

  it("in one batch a refused gift takes no slow-mode slot: the sender's message right after is accepted", async () => {
    const creator = await kit.makeCreator(uniqueName("slots"));
    await creator.caller.stream.goLive();
    const username = creator.user.username!;
    const fan = await kit.signUp({ username: uniqueName("fan") });
    await setBalance(fan, 3); // too little for any gift
    const [gift, message] = await Promise.allSettled([
      fan.caller.gift.send({ username, giftId: "wave", idempotencyKey: randomUUID(), message: "for you" }),
      fan.caller.chat.send({ username, text: "hi" }),
    ]);
    expect(codeOf(message)).toBe("OK");
    expect(["PAYMENT_REQUIRED", "TOO_MANY_REQUESTS"]).toContain(codeOf(gift));
    // Two messages of one user in one batch: the second waits for its slot like any other.
    const other = await kit.signUp({ username: uniqueName("fan") });
    const pair = await Promise.allSettled([
      other.caller.chat.send({ username, text: "a" }),
      other.caller.chat.send({ username, text: "b" }),
    ]);
    expect(pair.map(codeOf).sort()).toEqual(["OK", "TOO_MANY_REQUESTS"]);
  });
});
