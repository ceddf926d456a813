import { tracked } from "@trpc/server";
import type { Database } from "@onair/db";
import { RESYNC } from "../shared/events";
import {
  MAX_NOTIFICATION_REPLAY,
  newestNotificationId,
  notificationsAfter,
  type Notification,
  type NotificationEvents,
} from "./notifications";
import { patiently } from "../shared/patiently";

export type NotificationStreamEvent = Notification | { type: "reset" };

/**
 * One user's new notifications (`notification.onNew`), each tracked by its id, exactly once and in id
 * order: the worker writes them under one lock, so ids commit (and are announced) in order; the live
 * events are heard from before the table is read, and anything at or below the last id is dropped.
 * With `lastEventId` it first replays what came after it; after a deaf bus (`RESYNC`) it catches up the
 * same way. More than `MAX_NOTIFICATION_REPLAY` missed → one `reset` (read `notification.list` again).
 */
export async function* notificationStream(
  db: Database,
  events: NotificationEvents,
  userId: string,
  lastEventId: number | null,
  signal: AbortSignal | undefined,
) {
  const live = events.subscribe(userId, signal);
  let lastId = lastEventId ?? 0;

  async function* catchUp() {
    const missed = await patiently(() => notificationsAfter(db, userId, lastId, MAX_NOTIFICATION_REPLAY + 1), signal);
    if (missed.length > MAX_NOTIFICATION_REPLAY) {
      lastId = await patiently(() => newestNotificationId(db, userId), signal);
      yield tracked<NotificationStreamEvent>(String(lastId), { type: "reset" });
      return;
    }
    for (const item of missed) {
      lastId = Number(item.id);
      yield tracked<NotificationStreamEvent>(item.id, item);
    }
  }

  try {
    if (lastEventId === null) lastId = await newestNotificationId(db, userId);
    else yield* catchUp();
    for await (const event of live) {
      if (event === RESYNC) {
        yield* catchUp();
        continue;
      }
      if (Number(event.id) <= lastId) continue;
      lastId = Number(event.id);
      yield tracked<NotificationStreamEvent>(event.id, event);
    }
  } finally {
    await live.return();
  }
}
