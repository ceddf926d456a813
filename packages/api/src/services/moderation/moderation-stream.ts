import { tracked } from "@trpc/server";
import type { Database } from "@onair/db";
import { RESYNC } from "../shared/events";
import { moderationAfter, newestModerationId, type ModerationEntry, type ModerationEvents } from "./moderation-log";
import { patiently } from "../shared/patiently";

/** A catch-up reads the missed entries this many at a time. */
const CATCH_UP_PAGE = 200;

/**
 * One moderator's `moderation.onChange` stream: each new log entry once, in id order, tracked by its
 * id. Entries commit (and are announced) in id order within a channel (`recordModeration`), the live
 * events are heard from before the table is read, and anything at or below the last id is dropped.
 * With `lastEventId` it first replays what came after it; when the bus was deaf (`RESYNC`) it catches
 * up from the table the same way. It ends after the entry that removes `subscriber` from the team.
 */
export async function* moderationStream(
  db: Database,
  events: ModerationEvents,
  streamId: string,
  subscriber: { username: string; channelRole: "owner" | "moderator" },
  lastEventId: number | null,
  signal: AbortSignal | undefined,
) {
  const live = events.subscribe(streamId, signal);
  let lastId = lastEventId ?? 0;
  const endsStream = (entry: ModerationEntry) =>
    subscriber.channelRole === "moderator" && entry.action === "moderator_removed" && entry.target === subscriber.username;

  /** Everything after `lastId` in the table, oldest first (read a page at a time). */
  async function missed(): Promise<ModerationEntry[]> {
    const all: ModerationEntry[] = [];
    for (let after = lastId; ;) {
      const page = await patiently(() => moderationAfter(db, streamId, after, CATCH_UP_PAGE), signal);
      all.push(...page);
      if (page.length < CATCH_UP_PAGE) return all;
      after = page[page.length - 1]!.id;
    }
  }

  try {
    const first = lastEventId === null ? [] : await missed();
    if (lastEventId === null) lastId = await newestModerationId(db, streamId);
    for (let batch = first; ;) {
      for (const entry of batch) {
        if (entry.id <= lastId) continue; // replayed or caught up already
        lastId = entry.id;
        yield tracked(String(entry.id), entry);
        if (endsStream(entry)) return;
      }
      const next = await live.next();
      if (next.done) return;
      batch = next.value === RESYNC ? await missed() : [next.value];
    }
  } finally {
    await live.return();
  }
}
