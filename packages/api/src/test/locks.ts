import { sql } from "drizzle-orm";
import type { Database } from "@onair/db";
import type { TestDatabaseHandle } from "@onair/db/testing";
import { lockChannelChat } from "../services/chat/chat";

/**
 * Holds a channel's chat lock from a connection of its own (PostgreSQL): every gift and chat send to that
 * channel pauses inside its transaction, as behind a slow one, until the returned function releases it.
 */
export async function holdChannelLock(handle: TestDatabaseHandle, streamId: string): Promise<() => Promise<void>> {
  const other = handle.openAnother({ max: 1, timeouts: { statementMs: 60_000 } });
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held!: () => void;
  const holding = new Promise<void>((resolve) => (held = resolve));
  const done = other.db.transaction(async (tx) => {
    await lockChannelChat(tx, streamId);
    held();
    await released;
  });
  await Promise.race([holding, done]);
  return async () => {
    release();
    await done;
    await other.close();
  };
}

/** How many sessions on this database wait for a lock (a row, a transaction, an advisory lock). */
export async function sessionsWaitingForLocks(db: Database): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(sql`pg_stat_activity`)
    .where(sql`datname = current_database() and wait_event_type = 'Lock'`);
  return row!.n;
}
