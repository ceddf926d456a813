import { tracked, type TrackedEnvelope } from "@trpc/server";
import type { Database } from "@onair/db";
import { chatAfter, MAX_REPLAY, newestChatId } from "./chat";
import { type ChatEvent, type ChatEvents } from "./chat-bus";
import { isTeamEvent } from "./chat-audience";
import { RESYNC } from "../shared/events";
import type { Handover } from "../shared/direct";
import { patiently } from "../shared/patiently";

/**
 * One subscriber's chat stream, each event tracked by the id of the newest message it has seen.
 * Exactly once and in order: messages commit (and are announced) in id order within a channel
 * (`postChatEntry`), the live events are heard from before the table is read, and anything at or
 * below the last id is dropped. With `lastEventId` it first replays what came after it; when the bus
 * was deaf (`RESYNC`) it catches up from the table the same way. More than `MAX_REPLAY` missed →
 * one `reset` event (load `chat.history` again), then live from the newest message. Whenever it has
 * handled everything it offers a `Handover` (direct.ts): a consumer that takes it writes the
 * channel's events itself until something needs this stream again (a team event, a slow reader, a
 * deaf bus), which then carries on from where the direct writes left `lastId`.
 */
export async function* chatStream(
  db: Database,
  events: ChatEvents,
  channel: { id: string; ownerId: string },
  lastEventId: number | null,
  signal: AbortSignal | undefined,
  /** Whether this subscriber may see a restriction or team change (chat-audience.ts); everyone sees the rest. */
  sees: (event: ChatEvent) => Promise<boolean> = async () => true,
): AsyncGenerator<TrackedEnvelope<ChatEvent> | Handover, void, undefined> {
  const live = events.subscribe(channel.id, signal);
  let lastId = lastEventId ?? 0;
  // A fresh subscriber (no lastEventId) never catches up on what came before it subscribed.
  let floor = lastEventId ?? 0;
  const handover = () => events.handover(live, channel.id, lastId, (entry) => (lastId = entry.position!), isShareable);

  async function* catchUp() {
    const missed = await patiently(() => chatAfter(db, channel, Math.max(lastId, floor), MAX_REPLAY + 1), signal);
    if (missed.length > MAX_REPLAY) {
      lastId = await patiently(() => newestChatId(db, channel.id), signal);
      yield tracked<ChatEvent>(String(lastId), { type: "reset" });
      return;
    }
    for (const message of missed) {
      lastId = message.id;
      yield tracked(String(lastId), message as ChatEvent);
    }
  }

  try {
    if (lastEventId === null) floor = await newestChatId(db, channel.id);
    else yield* catchUp();
    for (;;) {
      if (live.size === 0) yield handover();
      const next = await live.next();
      if (next.done) break;
      const event = next.value;
      if (event === RESYNC) {
        yield* catchUp();
        continue;
      }
      if (isTeamEvent(event) && !(await sees(event))) continue;
      if (event.type === "message") {
        if (event.id <= lastId) continue; // replayed or caught up already
        lastId = event.id;
      }
      yield tracked(String(lastId), event);
    }
  } finally {
    await live.return();
  }
}

/** Everyone may be written these as they are; a team event is judged per subscriber (`sees`). */
function isShareable(event: ChatEvent): boolean {
  return !isTeamEvent(event);
}
