import { randomUUID } from "node:crypto";
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatMessage, creatorEarnings, giftTransaction, wallet } from "@onair/db";
import { testDatabaseUrl } from "@onair/db/testing";
import { createTestKit, uniqueName, type SignedUp, type TestKit } from "../../test/helpers";

const RICH = 100_000;

/** A creator's earnings live in a few counter rows (`addEarnings`): exact, and no lock on the creator's wallet. */
describe(`gift earnings under concurrency (${testDatabaseUrl ? "PostgreSQL" : "PGlite"})`, () => {
  let kit: TestKit;
  const rich = (user: SignedUp) => kit.db.update(wallet).set({ balance: RICH }).where(eq(wallet.userId, user.user.id));

  beforeAll(async () => {
    kit = await createTestKit();
  });
  afterAll(() => kit?.close());

  it("many senders gifting one creator at once: debits = ledger = earnings in every snapshot a reader sees, one chat line per gift", async () => {
    const creator = await kit.makeCreator(uniqueName("popular"));
    await creator.caller.stream.goLive();
    const username = creator.user.username!;
    const senders = await Promise.all(Array.from({ length: 8 }, () => kit.signUp({ username: uniqueName("fan") })));
    await Promise.all(senders.map(rich));

    // A reader during the storm, after each answer: the ledger and the earnings, read in one statement (one snapshot).
    const seen: { ledger: number; earnings: number }[] = [];
    const snapshot = async () => {
      const [row] = await kit.db
        .select({
          ledger: sql<number>`(select coalesce(sum(${giftTransaction.price}), 0)::int from ${giftTransaction} where ${giftTransaction.creatorId} = ${creator.user.id})`,
          earnings: sql<number>`(select coalesce(sum(${creatorEarnings.amount}), 0)::int from ${creatorEarnings} where ${creatorEarnings.userId} = ${creator.user.id})`,
        })
        .from(sql`(select 1) as one`);
      seen.push({ ledger: Number(row!.ledger), earnings: Number(row!.earnings) });
    };
    const sent = await Promise.all(
      senders.flatMap((sender) =>
        Array.from({ length: 10 }, async () => {
          const result = await sender.caller.gift.send({ username, giftId: "heart", idempotencyKey: randomUUID() });
          await snapshot();
          return result;
        }),
      ),
    );

    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((s) => s.ledger !== s.earnings)).toEqual([]);
    const ledger = await kit.db.select().from(giftTransaction).where(eq(giftTransaction.creatorId, creator.user.id));
    expect(ledger).toHaveLength(80);
    const total = ledger.reduce((sum, row) => sum + row.price, 0);
    expect((await creator.caller.wallet.balance()).earnings).toBe(total);
    for (const sender of senders) {
      const spent = ledger.filter((row) => row.senderId === sender.user.id).reduce((sum, row) => sum + row.price, 0);
      expect((await sender.caller.wallet.balance()).balance).toBe(RICH - spent);
    }
    // One gift line per transaction.
    const lines = await kit.db
      .select({ meta: chatMessage.meta })
      .from(chatMessage)
      .where(eq(chatMessage.kind, "gift"))
      .orderBy(asc(chatMessage.id));
    const announced = lines
      .map((line) => (line.meta as { transactionId: string }).transactionId)
      .filter((id) => sent.some((s) => s.transaction.id === id));
    expect(new Set(announced).size).toBe(80);
    expect(announced).toHaveLength(80);
  });

  it("two creators gifting each other at once all succeed (no deadlock between their wallets) and stay exact", async () => {
    const [a, b] = await Promise.all([kit.makeCreator(uniqueName("mutual")), kit.makeCreator(uniqueName("mutual"))]);
    await Promise.all([a.caller.stream.goLive(), b.caller.stream.goLive()]);
    await Promise.all([rich(a), rich(b)]);
    const gifts = (from: SignedUp, to: SignedUp) =>
      Array.from({ length: 30 }, () =>
        from.caller.gift.send({ username: to.user.username!, giftId: "heart", idempotencyKey: randomUUID() }),
      );
    const results = await Promise.allSettled([...gifts(a, b), ...gifts(b, a)]);
    expect(results.filter((r) => r.status === "rejected").map((r) => String(r.reason))).toEqual([]);
    const [ofA, ofB] = await Promise.all([a.caller.wallet.balance(), b.caller.wallet.balance()]);
    const price = (RICH - ofA.balance) / 30;
    expect(ofA).toEqual({ balance: RICH - 30 * price, earnings: 30 * price });
    expect(ofB).toEqual({ balance: RICH - 30 * price, earnings: 30 * price });
  });
});
