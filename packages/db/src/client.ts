import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "./schema";

export type Schema = typeof schema;
/** The one database type the app uses, whichever driver is underneath. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

/** The compiled server (apps/server/build.js) carries the migrations in ./drizzle beside its bundle. */
const bundled = new URL("./drizzle/meta/_journal.json", import.meta.url);
export const migrationsFolder = fileURLToPath(new URL(existsSync(bundled) ? "./drizzle" : "../drizzle", import.meta.url));

export interface DatabaseHandle {
  db: Database;
  kind: "pglite" | "postgres";
  /** Applies the committed drizzle-kit migrations (idempotent). */
  migrate(): Promise<void>;
  /**
   * LISTEN on a channel: `onPayload` gets every NOTIFY payload (sent with `notify`, delivered on
   * commit, in commit order). With PostgreSQL this reaches every server instance; PGlite is one process.
   * `onListen` runs each time listening (re)starts: after the first, the bus was deaf for a while
   * (connection lost, database restarted) and payloads sent meanwhile are gone — catch up from tables.
   */
  listen(channel: string, onPayload: (payload: string) => void, onListen?: () => void): Promise<() => Promise<void>>;
  /**
   * A small pool of its own (PostgreSQL: 2 connections, opened when first used) for liveness writes —
   * the creator's heartbeat — so they never wait for a connection behind a storm of other work. PGlite:
   * the one connection.
   */
  liveness?: Database;
  /** PGlite: its data directory as a tarball (`loadDataDir` starts another from it: tests' template). */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
}

export type DatabaseOptions =
  | { url: string; max?: number; timeouts?: Partial<Timeouts>; /** Names its connections in pg_stat_activity. */ applicationName?: string }
  /**
   * `dataDir` undefined → in memory (tests). Callers lock the directory first: see `lockDataDir`.
   * `loadDataDir`: start from a dumped data directory (`dumpDataDir`) instead of an empty one.
   */
  | { dataDir?: string; loadDataDir?: Blob };

/** Fail fast, recover fast: how long PostgreSQL work may take before it is an error. */
export interface Timeouts {
  /** Opening a connection (s): past it, a query waiting for one fails instead of hanging. */
  connectSeconds: number;
  /** One statement (ms), on the server; also ends a transaction left idle this long. */
  statementMs: number;
  /** Pause between reconnection attempts (s): a database that comes back is used again within it. */
  retrySeconds: number;
}
export const DEFAULT_TIMEOUTS: Timeouts = { connectSeconds: 3, statementMs: 10_000, retrySeconds: 0.25 };

/** Every instance migrating at once takes turns on this session lock (one key for OnAir's migrations). */
export const MIGRATION_LOCK_KEY = 0x6f6e6169_72000001n;

export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  if ("url" in options) {
    const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    const connectionOptions = {
      onnotice: () => {},
      connect_timeout: timeouts.connectSeconds,
      backoff: () => timeouts.retrySeconds,
    };
    const sql = postgres(options.url, {
      ...connectionOptions,
      max: options.max ?? 10,
      connection: {
        application_name: options.applicationName ?? "onair",
        statement_timeout: timeouts.statementMs,
        idle_in_transaction_session_timeout: timeouts.statementMs,
      },
    });
    const db = drizzlePostgres(sql, { schema, casing: "snake_case" });
    const livenessSql = postgres(options.url, {
      ...connectionOptions,
      max: 2,
      connection: {
        application_name: `${options.applicationName ?? "onair"}-liveness`,
        statement_timeout: timeouts.statementMs,
        idle_in_transaction_session_timeout: timeouts.statementMs,
      },
    });
    return {
      db,
      liveness: drizzlePostgres(livenessSql, { schema, casing: "snake_case" }),
      kind: "postgres",
      async migrate() {
        // One connection, no statement timeout (waiting for another instance's migration is fine):
        // the session lock makes instances starting together migrate one after the other.
        const single = postgres(options.url, { ...connectionOptions, max: 1 });
        try {
          await single`select pg_advisory_lock(${MIGRATION_LOCK_KEY.toString()}::bigint)`;
          await migratePostgres(drizzlePostgres(single), { migrationsFolder });
        } finally {
          await single.end({ timeout: 5 });
        }
      },
      async listen(channel, onPayload, onListen) {
        const listening = await sql.listen(channel, onPayload, onListen);
        return () => listening.unlisten();
      },
      close: async () => {
        await Promise.all([sql.end({ timeout: 5 }), livenessSql.end({ timeout: 5 })]);
      },
    };
  }
  const client = new PGlite({ dataDir: options.dataDir, loadDataDir: options.loadDataDir, extensions: { pg_trgm } });
  const db = drizzlePglite(client, { schema, casing: "snake_case" });
  return {
    db,
    kind: "pglite",
    migrate: () => migratePglite(db, { migrationsFolder }),
    async listen(channel, onPayload, onListen) {
      const unlisten = await client.listen(channel, onPayload);
      onListen?.(); // one process, one connection: never deaf
      return unlisten;
    },
    dumpDataDir: () => client.dumpDataDir("none"),
    close: () => client.close(),
  };
}
