import type { Database } from "@onair/db";
import { activitySince, recentActivity, type ActivityEvent, type ActivityEvents } from "./activity";
import { RESYNC } from "../shared/events";
import { patiently } from "../shared/patiently";

/**
 * How far before the newest event seen a catch-up looks: a row carries its transaction's start time
 * and commits within the statement and idle-transaction timeouts (10 s each), so one that committed
 * while the bus was deaf is never older than this.
 */
const CATCH_UP_SLACK_MS = 30_000;
/** After the bus was deaf, at most this many follows and as many gifts are caught up (the newest). */
export const MAX_ACTIVITY_REPLAY = 100;
/** Ids kept to drop what a catch-up finds again; past this many, those older than the slack go. */
const SEEN_KEPT = 1_000;

/**
 * A creator's follows and gifts (`stream.onActivity`): the latest few first (`recent`), then each as it
 * happens, once. When the bus was deaf (`RESYNC`) what happened meanwhile is read from the tables.
 */
export async function* activityStream(db: Database, events: ActivityEvents, ownerId: string, signal: AbortSignal | undefined) {
  const live = events.subscribe(ownerId, signal);
  const seen = new Map<string, number>();
  let newest = 0;
  /** What a catch-up finds older than the latest shown on connecting happened before it (never alerted). */
  let floor = 0;

  function* fresh(items: ActivityEvent[], from: "recent" | "live" | "table") {
    for (const item of items) {
      const at = item.at.getTime();
      if (seen.has(item.id) || (from === "table" && at < floor)) continue;
      seen.set(item.id, at);
      newest = Math.max(newest, at);
      yield from === "recent" ? { ...item, recent: true } : item;
    }
    if (seen.size > SEEN_KEPT) for (const [id, at] of seen) if (at < newest - CATCH_UP_SLACK_MS) seen.delete(id);
  }

  try {
    yield* fresh(await recentActivity(db, ownerId), "recent");
    floor = newest;
    for await (const event of live) {
      if (event !== RESYNC) {
        yield* fresh([event], "live");
        continue;
      }
      const since = newest === 0 ? null : new Date(newest - CATCH_UP_SLACK_MS);
      yield* fresh(await patiently(() => activitySince(db, ownerId, since, MAX_ACTIVITY_REPLAY), signal), "table");
    }
  } finally {
    await live.return();
  }
}
