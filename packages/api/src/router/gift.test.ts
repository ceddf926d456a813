import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatMessage, earningsOf, giftTransaction, wallet, walletCredit } from "@onair/db";
import { testDatabaseUrl } from "@onair/db/testing";
import { clientShape, createTestKit, trpcError, uniqueName, type SignedUp, type TestKit } from "../test/helpers";

describe(`gifts: exact, idempotent transactions (${testDatabaseUrl ? "PostgreSQL" : "PGlite"})`, () => {
  let kit: TestKit;
  let creator: SignedUp;
  let viewer: SignedUp;
  let admin: SignedUp;
  let channel: string;

  beforeAll(async () => {
    kit = await createTestKit();
    creator = await kit.makeCreator(uniqueName("giftee"));
    viewer = await kit.signUp({ username: uniqueName("giver") });
    admin = await kit.makeAdmin();
    channel = creator.user.username!;
    await creator.caller.stream.goLive();
  });
  afterAll(() => kit?.close());

  const walletOf = async (userId: string) => ({
    ...(await kit.db.select().from(wallet).where(eq(wallet.userId, userId)))[0]!,
    earnings: await earningsOf(kit.db, userId),
  });
  const setBalance = (userId: string, balance: number) => kit.db.update(wallet).set({ balance }).where(eq(wallet.userId, userId));
  const key = () => randomUUID();

  it("the catalogue is seeded, cheapest at most 10; new accounts get the welcome grant, recorded", async () => {
    const catalog = await kit.anonymous.gift.catalog();
    expect(catalog.length).toBeGreaterThanOrEqual(4);
    expect(catalog[0]!.price).toBeLessThanOrEqual(10);
    expect(catalog.map((g) => g.price)).toEqual([...catalog.map((g) => g.price)].sort((a, b) => a - b));
    expect(await viewer.caller.wallet.balance()).toEqual({ balance: 100, earnings: 0 });
    const credits = await viewer.caller.wallet.credits();
    expect(credits).toEqual([expect.objectContaining({ kind: "welcome", amount: 100 })]);
  });

  it("a gift debits the sender, credits the creator, records the price and appears in chat", async () => {
    const sent = await viewer.caller.gift.send({ username: channel, giftId: "heart", idempotencyKey: key(), message: "gg" });
    expect(sent.balance).toBe(90);
    expect(sent.transaction).toMatchObject({ giftId: "heart", price: 10, senderId: viewer.user.id, creatorId: creator.user.id });
    expect((await walletOf(creator.user.id)).earnings).toBe(10);
    const { items } = await kit.anonymous.chat.history({ username: channel });
    const event = items.at(-1)!;
    expect(event).toMatchObject({ kind: "gift", text: "sent a Heart: gg", meta: { giftId: "heart", price: 10, message: "gg" } });
    expect(await creator.caller.gift.currentTotal()).toEqual({ coins: 10, gifts: 1 });
    expect((await viewer.caller.gift.sent())[0]).toMatchObject({ price: 10, to: channel, gift: { id: "heart" } });
  });

  it("the same key again returns the first result and moves no coins; a different gift on that key is a CONFLICT", async () => {
    const k = key();
    const first = await viewer.caller.gift.send({ username: channel, giftId: "wave", idempotencyKey: k });
    const again = await viewer.caller.gift.send({ username: channel, giftId: "wave", idempotencyKey: k });
    expect(again.transaction.id).toBe(first.transaction.id);
    expect(again.balance).toBe(first.balance);
    expect(again.replayed).toBe(true);
    expect((await trpcError(viewer.caller.gift.send({ username: channel, giftId: "star", idempotencyKey: k }))).code).toBe("CONFLICT");
    const rows = await kit.db.select().from(giftTransaction).where(eq(giftTransaction.idempotencyKey, k));
    expect(rows).toHaveLength(1);
  });

  it("refuses guests, yourself, unknown gifts and channels, too little money and offline creators; nothing changes", async () => {
    const before = await walletOf(viewer.user.id);
    const count = async () => (await kit.db.select({ n: sql<number>`count(*)::int` }).from(giftTransaction))[0]!.n;
    const n = await count();
    expect((await trpcError(kit.anonymous.gift.send({ username: channel, giftId: "heart", idempotencyKey: key() }))).code).toBe(
      "UNAUTHORIZED",
    );
    expect((await trpcError(creator.caller.gift.send({ username: channel, giftId: "heart", idempotencyKey: key() }))).code).toBe(
      "BAD_REQUEST",
    );
    const unknown = await trpcError(viewer.caller.gift.send({ username: channel, giftId: "unicorn", idempotencyKey: key() }));
    expect(unknown.code).toBe("BAD_REQUEST");
    expect(unknown.message).toMatch(/^giftId/);
    expect((await trpcError(viewer.caller.gift.send({ username: "no_one_here", giftId: "heart", idempotencyKey: key() }))).code).toBe(
      "NOT_FOUND",
    );
    expect((await trpcError(viewer.caller.gift.send({ username: channel, giftId: "heart", idempotencyKey: "short" }))).message).toMatch(
      /idempotencyKey/,
    );
    const poor = await trpcError(viewer.caller.gift.send({ username: channel, giftId: "crown", idempotencyKey: key() }));
    expect(poor.code).toBe("PAYMENT_REQUIRED");
    expect(poor.message).toMatch(/Not enough coins/);
    const offline = await kit.makeCreator(uniqueName("offline"));
    expect(
      (await trpcError(viewer.caller.gift.send({ username: offline.user.username!, giftId: "wave", idempotencyKey: key() }))).code,
    ).toBe("PRECONDITION_FAILED");
    expect(await walletOf(viewer.user.id)).toEqual(before);
    expect(await count()).toBe(n);
  });

  it("200 concurrent sends from a wallet that affords exactly 50: 50 succeed, balance 0, ledger and earnings agree", async () => {
    const rich = await kit.signUp({ username: uniqueName("burst") });
    await setBalance(rich.user.id, 50 * 10);
    const earningsBefore = (await walletOf(creator.user.id)).earnings;
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, () => rich.caller.gift.send({ username: channel, giftId: "heart", idempotencyKey: key() })),
    );
    const ok = results.filter((r) => r.status === "fulfilled");
    expect(ok).toHaveLength(50);
    for (const r of results) if (r.status === "rejected") expect((r.reason as { code: string }).code).toBe("PAYMENT_REQUIRED");
    expect((await walletOf(rich.user.id)).balance).toBe(0);
    const ledger = await kit.db
      .select({ sum: sql<number>`coalesce(sum(price), 0)::int`, n: sql<number>`count(*)::int` })
      .from(giftTransaction)
      .where(eq(giftTransaction.senderId, rich.user.id));
    expect(ledger[0]).toEqual({ sum: 500, n: 50 });
    expect((await walletOf(creator.user.id)).earnings - earningsBefore).toBe(500);
    const announced = await kit.db.select().from(chatMessage).where(eq(chatMessage.userId, rich.user.id));
    expect(announced).toHaveLength(50);
  });

  it("the same call retried concurrently with one key is charged once", async () => {
    const k = key();
    const before = (await walletOf(viewer.user.id)).balance;
    const results = await Promise.all(
      Array.from({ length: 10 }, () => viewer.caller.gift.send({ username: channel, giftId: "wave", idempotencyKey: k })),
    );
    expect(new Set(results.map((r) => r.transaction.id)).size).toBe(1);
    expect((await walletOf(viewer.user.id)).balance).toBe(before - 5);
  });

  it("a gift racing the end of the stream either completes or is refused, never half-applied", async () => {
    const racer = await kit.signUp({ username: uniqueName("racer") });
    const sends = Array.from({ length: 20 }, () => racer.caller.gift.send({ username: channel, giftId: "wave", idempotencyKey: key() }));
    const ending = creator.caller.stream.end();
    const results = await Promise.allSettled([...sends, ending]);
    const done = results.slice(0, 20).filter((r) => r.status === "fulfilled").length;
    for (const r of results.slice(0, 20)) {
      if (r.status === "rejected") expect((r.reason as { code: string }).code).toBe("PRECONDITION_FAILED");
    }
    const w = await walletOf(racer.user.id);
    expect(w.balance).toBe(100 - done * 5);
    const rows = await kit.db.select().from(giftTransaction).where(eq(giftTransaction.senderId, racer.user.id));
    expect(rows).toHaveLength(done);
    const stored = await kit.db.select().from(chatMessage).where(eq(chatMessage.userId, racer.user.id));
    expect(stored).toHaveLength(done);
  });

  it("admins grant coins, recorded with who and why; others are refused", async () => {
    expect((await trpcError(viewer.caller.admin.grantCoins({ username: viewer.user.username!, amount: 50, reason: "please" }))).code).toBe(
      "FORBIDDEN",
    );
    const before = (await walletOf(viewer.user.id)).balance;
    const granted = await admin.caller.admin.grantCoins({ username: viewer.user.username!, amount: 50, reason: "Community prize" });
    expect(granted.balance).toBe(before + 50);
    const [credit] = await kit.db.select().from(walletCredit).where(eq(walletCredit.reason, "Community prize"));
    expect(credit).toMatchObject({ kind: "admin", amount: 50, grantedById: admin.user.id, userId: viewer.user.id });
    expect(
      (await trpcError(admin.caller.admin.grantCoins({ username: viewer.user.username!, amount: 0, reason: "zero" }))).message,
    ).toMatch(/amount/);
  });

  it("nobody the channel has timed out, banned or blocked can send a gift: FORBIDDEN, nothing debited", async () => {
    await creator.caller.stream.goLive(); // the race above ended the stream
    const muted = await kit.signUp({ username: uniqueName("muted") });
    const username = muted.user.username!;
    const restrict = {
      timeout: () => creator.caller.moderation.timeout({ channel, username, minutes: 5 }),
      ban: () => creator.caller.moderation.ban({ channel, username }),
      block: () => creator.caller.moderation.block({ channel, username }),
    };
    for (const [kind, apply] of Object.entries(restrict)) {
      await apply();
      for (const message of [undefined, "hi"]) {
        const refused = await trpcError(muted.caller.gift.send({ username: channel, giftId: "wave", idempotencyKey: key(), message }));
        expect(refused.code, kind).toBe("FORBIDDEN");
      }
      await creator.caller.moderation.unban({ channel, username });
    }
    expect((await walletOf(muted.user.id)).balance).toBe(100);
    expect(await kit.db.select().from(giftTransaction).where(eq(giftTransaction.senderId, muted.user.id))).toEqual([]);
    const plain = await muted.caller.gift.send({ username: channel, giftId: "wave", idempotencyKey: key() });
    expect(plain.balance).toBe(95);
    const bad = await trpcError(
      viewer.caller.gift.send({ username: channel, giftId: "wave", idempotencyKey: key(), message: "bell\u0007" }),
    );
    expect(bad.code).toBe("BAD_REQUEST");
    expect(clientShape(bad).message).toMatch(/^message/);
  });

  it("a gift's message follows slow mode: the second within the window is TOO_MANY_REQUESTS and debits nothing", async () => {
    await creator.caller.stream.updateChatSettings({ isChatDelayed: true, slowModeSeconds: 60 });
    try {
      const fan = await kit.signUp({ username: uniqueName("slowfan") });
      await fan.caller.chat.send({ username: channel, text: "first" });
      const refused = await trpcError(
        fan.caller.gift.send({ username: channel, giftId: "wave", idempotencyKey: key(), message: "second" }),
      );
      expect(refused.code).toBe("TOO_MANY_REQUESTS");
      expect(refused.message).toMatch(/Slow mode/);
      expect((await walletOf(fan.user.id)).balance).toBe(100);
      // The gift alone is no chat message: still welcome.
      expect((await fan.caller.gift.send({ username: channel, giftId: "wave", idempotencyKey: key() })).balance).toBe(95);
    } finally {
      await creator.caller.stream.updateChatSettings({ isChatDelayed: false });
    }
  });

  it("the database itself refuses a negative balance", async () => {
    const error = await setBalance(viewer.user.id, -1).then(
      () => null,
      (e: Error) => e,
    );
    expect(String((error?.cause as Error | undefined)?.message)).toMatch(/wallet_balance_not_negative/);
  });

  it("earnings per broadcast and the latest gifts are shown to the creator only", async () => {
    const { perBroadcast, latest } = await creator.caller.gift.earnings();
    expect(perBroadcast[0]!.coins).toBeGreaterThan(0);
    expect(latest.length).toBeGreaterThan(0);
    expect((await trpcError(viewer.caller.gift.earnings())).code).toBe("FORBIDDEN");
  });
});
