import { eq, sql } from "drizzle-orm";
import type { Database } from "./client";
import { creatorEarnings, wallet, walletCredit } from "./schema";

/** Creates a new account's wallet with its welcome grant (recorded as a credit). */
export async function openWallet(db: Database, userId: string, welcomeCoins: number): Promise<void> {
  await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(wallet)
      .values({ userId, balance: welcomeCoins })
      .onConflictDoNothing()
      .returning({ userId: wallet.userId });
    if (created && welcomeCoins > 0) {
      await tx.insert(walletCredit).values({ userId, kind: "welcome", amount: welcomeCoins, reason: "Welcome to OnAir" });
    }
  });
}

export interface Credit {
  userId: string;
  amount: number;
  reason: string;
  kind: "admin" | "purchase";
  grantedById?: string | undefined;
  /** For purchases: the payment provider's reference; crediting the same reference twice is a no-op. */
  externalRef?: string | undefined;
}

/**
 * Adds coins to a wallet and records why, in one transaction. This is the seam where a payment
 * provider's confirmed purchase (kind "purchase", with its reference) will credit coins.
 * Returns the new balance, or null when `externalRef` was already credited.
 */
export async function creditWallet(db: Database, credit: Credit): Promise<number | null> {
  return db.transaction(async (tx) => {
    const [recorded] = await tx
      .insert(walletCredit)
      .values({
        userId: credit.userId,
        kind: credit.kind,
        amount: credit.amount,
        reason: credit.reason,
        grantedById: credit.grantedById ?? null,
        externalRef: credit.externalRef ?? null,
      })
      .onConflictDoNothing()
      .returning({ id: walletCredit.id });
    if (!recorded) return null;
    const [row] = await tx
      .insert(wallet)
      .values({ userId: credit.userId, balance: credit.amount })
      .onConflictDoUpdate({
        target: wallet.userId,
        set: { balance: sql`${wallet.balance} + ${credit.amount}`, updatedAt: sql`now()` },
      })
      .returning({ balance: wallet.balance });
    return row!.balance;
  });
}

/** Counter rows a creator's earnings are spread over (`creator_earnings.slot` is 0…EARNINGS_SLOTS-1). */
export const EARNINGS_SLOTS = 8;

/**
 * Adds a gift's price to the creator's earnings, in the gift's transaction: one slot chosen at random,
 * so concurrent gifts to one creator seldom wait on one row, and no lock is taken on the creator's
 * wallet (two creators gifting each other at once cannot deadlock).
 */
export async function addEarnings(tx: Database, userId: string, amount: number): Promise<void> {
  const slot = Math.floor(Math.random() * EARNINGS_SLOTS);
  await tx
    .insert(creatorEarnings)
    .values({ userId, slot, amount })
    .onConflictDoUpdate({
      target: [creatorEarnings.userId, creatorEarnings.slot],
      set: { amount: sql`${creatorEarnings.amount} + ${amount}` },
    });
}

/** A creator's earnings: the sum of their slots (a reader sees every committed gift, and no other). */
export const earningsSum = (userId: string) =>
  sql<number>`(select coalesce(sum(${creatorEarnings.amount}), 0)::int from ${creatorEarnings} where ${creatorEarnings.userId} = ${userId})`;

export async function earningsOf(db: Database, userId: string): Promise<number> {
  const [row] = await db
    .select({ earnings: sql<number>`coalesce(sum(${creatorEarnings.amount}), 0)::int` })
    .from(creatorEarnings)
    .where(eq(creatorEarnings.userId, userId));
  return Number(row?.earnings ?? 0);
}
