import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { sql as sqlTag } from "drizzle-orm";
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
   * commit). With PostgreSQL this reaches every server instance; PGlite is one process.
   */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export type DatabaseOptions =
  | { url: string; max?: number }
  /** `dataDir` undefined → in memory (tests). Callers lock the directory first: see `lockDataDir`. */
  | { dataDir?: string };

export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  if ("url" in options) {
    const sql = postgres(options.url, { max: options.max ?? 10, onnotice: () => {} });
    const db = drizzlePostgres(sql, { schema, casing: "snake_case" });
    return {
      db: db as unknown as Database,
      kind: "postgres",
      migrate: () => migratePostgres(db, { migrationsFolder }),
      async listen(channel, onPayload) {
        const { unlisten } = await sql.listen(channel, onPayload);
        return unlisten;
      },
      close: () => sql.end({ timeout: 5 }),
    };
  }
  const client = new PGlite({ dataDir: options.dataDir, extensions: { pg_trgm } });
  const db = drizzlePglite(client, { schema, casing: "snake_case" });
  return {
    db: db as unknown as Database,
    kind: "pglite",
    migrate: () => migratePglite(db, { migrationsFolder }),
    listen: (channel, onPayload) => client.listen(channel, onPayload),
    close: () => client.close(),
  };
}

/** NOTIFY `channel` with `payload` (≤ 8000 bytes); inside a transaction it is sent on commit. */
export async function notify(db: Database, channel: string, payload: string): Promise<void> {
  await db.execute(sqlTag`select pg_notify(${channel}, ${payload})`);
}
