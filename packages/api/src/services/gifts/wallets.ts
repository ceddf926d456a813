import { desc, eq, sql } from "drizzle-orm";
import { creditWallet, earningsSum, wallet, walletCredit, type Database } from "@onair/db";

/** Coins the user can spend, and what their channel has earned in gifts. */
export async function walletBalance(db: Database, userId: string) {
  // One statement: the balance and the sum of the earnings' counter rows, from one snapshot.
  const [row] = await db
    .select({ balance: sql<number>`coalesce(max(${wallet.balance}), 0)::int`, earnings: earningsSum(userId) })
    .from(wallet)
    .where(eq(wallet.userId, userId));
  return { balance: Number(row?.balance ?? 0), earnings: Number(row?.earnings ?? 0) };
}

/** Coins that came in, newest first: the welcome grant, admins' grants and (later) purchases. */
export function listWalletCredits(db: Database, userId: string) {
  return db
    .select({ kind: walletCredit.kind, amount: walletCredit.amount, reason: walletCredit.reason, createdAt: walletCredit.createdAt })
    .from(walletCredit)
    .where(eq(walletCredit.userId, userId))
    .orderBy(desc(walletCredit.createdAt))
    .limit(50);
}

/** An admin's grant of coins, recorded with who granted them and why; the new balance. */
export async function grantCoins(db: Database, grant: { userId: string; amount: number; reason: string; grantedById: string }) {
  const balance = await creditWallet(db, { kind: "admin", ...grant });
  return balance ?? 0;
}
