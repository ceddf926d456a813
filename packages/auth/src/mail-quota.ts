import { and, asc, count, eq, gt, lte, sql } from "drizzle-orm";
import { mailQuota, type Database } from "@onair/db";

export const HOUR_MS = 60 * 60 * 1000;

/** Taken, or refused with the seconds until the oldest counted request leaves the window. */
export type QuotaAnswer = { taken: true } | { taken: false; retryAfterSeconds: number };

/**
 * Counts one request for `key` if fewer than `limit` were counted in the last `windowMs`, in PostgreSQL so
 * every instance shares the count. A transaction-scoped advisory lock on the key serialises takers of the
 * same key across connections and instances: `limit` concurrent requests get exactly `limit` yeses.
 */
export async function takeQuota(db: Database, key: string, limit: number, windowMs = HOUR_MS): Promise<QuotaAnswer> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`mail_quota:${key}`}, 0))`);
    const since = sql`now() - make_interval(secs => ${windowMs / 1000})`;
    await tx.delete(mailQuota).where(and(eq(mailQuota.key, key), lte(mailQuota.at, since)));
    const [{ n = 0 } = {}] = await tx.select({ n: count() }).from(mailQuota).where(eq(mailQuota.key, key));
    if (n < limit) {
      await tx.insert(mailQuota).values({ key });
      return { taken: true } as const;
    }
    const [oldest] = await tx
      .select({ wait: sql<number>`ceil(extract(epoch from (${mailQuota.at} + make_interval(secs => ${windowMs / 1000}) - now())))` })
      .from(mailQuota)
      .where(and(eq(mailQuota.key, key), gt(mailQuota.at, since)))
      .orderBy(asc(mailQuota.at))
      .limit(1);
    return { taken: false, retryAfterSeconds: Math.max(1, Number(oldest?.wait ?? 1)) } as const;
  });
}

/** Drops every count older than the window (keys that never come back). */
export async function pruneQuotas(db: Database, windowMs = HOUR_MS) {
  await db.delete(mailQuota).where(lte(mailQuota.at, sql`now() - make_interval(secs => ${windowMs / 1000})`));
}
