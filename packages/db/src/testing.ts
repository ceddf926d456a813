import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { openDatabase, type DatabaseHandle, type DatabaseOptions } from "./client";
import { migratedPgliteTemplate } from "./pglite-template";

export { startThrowawayRedis, throwawayRedisUnavailable, type ThrowawayRedis } from "./redis-testing";
export { freePort, startThrowawayCluster, throwawayClusterUnavailable, type ThrowawayCluster } from "./cluster";

/** `TEST_DATABASE_URL` (or `DATABASE_URL`): run the suite on that PostgreSQL server; unset → PGlite. */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;

/**
 * A fresh, migrated database for one test file: an in-memory PGlite (started from the migrated
 * template, `pglite-template.ts`), or a new database on the
 * PostgreSQL server named by `TEST_DATABASE_URL`, dropped again by `close()`.
 */
export interface TestDatabaseHandle extends DatabaseHandle {
  /**
   * Another connection pool to the same database, as a second server instance would have
   * (PostgreSQL), with its own options. PGlite lives in one process: there it is the same handle,
   * and closing it is a no-op.
   */
  openAnother(options?: Omit<Extract<DatabaseOptions, { url: string }>, "url">): DatabaseHandle;
  /** The PostgreSQL database's URL, for another process; undefined with PGlite (one process). */
  url?: string;
}

export async function createTestDatabase(): Promise<TestDatabaseHandle> {
  if (!testDatabaseUrl) {
    const handle = openDatabase({ loadDataDir: await migratedPgliteTemplate() });
    await handle.migrate(); // nothing left to apply: checks the template against the journal
    return { ...handle, openAnother: () => ({ ...handle, close: async () => {} }) };
  }
  const name = `onair_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(testDatabaseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  const handle = openDatabase({ url: url.toString() });
  await handle.migrate();
  return {
    ...handle,
    openAnother: (options) => openDatabase({ ...options, url: url.toString() }),
    url: url.toString(),
    async close() {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/**
 * Re-checks `predicate` (sync or async) every 25 ms until it holds, or fails after `timeoutMs` with
 * `describe()` in the message: waiting for the event itself against a generous deadline, never a sleep.
 */
export async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 20_000, describe = () => ""): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting${describe() ? ` ${describe()}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
