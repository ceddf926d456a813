import { and, count, desc, asc, eq, gt, inArray, isNull, lt, sql } from "drizzle-orm";
import { notification, notify, stream, user, type Database, type DatabaseHandle, type NotificationKind } from "@onair/db";
import { Fanout, RESYNC, type Resync } from "../shared/events";
import { Inbox } from "./inbox";

/** New notifications, in batches (one NOTIFY carries many recipients): `notification.onNew`. */
export const NOTIFICATION_CHANNEL = "onair_notification";
const BATCH_KEY = "batch";
/** A NOTIFY payload stays under PostgreSQL's 8000 bytes. */
const MAX_PAYLOAD_BYTES = 7_000;
/** A resume replays at most this many; past it the client reloads `notification.list`. */
export const MAX_NOTIFICATION_REPLAY = 100;

export interface Notification {
  id: string;
  kind: NotificationKind;
  channel: { username: string; title: string };
  createdAt: Date;
  readAt: Date | null;
}

/** What the worker announces per batch: the same notification for each recipient, with its id. */
interface Wire {
  kind: NotificationKind;
  channel: { username: string; title: string };
  createdAt: string;
  to: [userId: string, id: number][];
}

/**
 * Each user's new notifications on this instance. One `Fanout` subscription takes the batches and hands
 * each recipient's notification to that user's open streams only (a batch names thousands of users, so
 * no subscriber filters what is not theirs); a `RESYNC` reaches every stream.
 */
export class NotificationEvents {
  private readonly fanout: Fanout<Wire>;
  private readonly byUser = new Map<string, Set<Inbox<Notification | Resync>>>();
  private ended = false;

  constructor(listen: DatabaseHandle["listen"]) {
    this.fanout = new Fanout<Wire>(listen, NOTIFICATION_CHANNEL, (payload) => ({ key: BATCH_KEY, value: JSON.parse(payload) as Wire }));
  }

  async start(): Promise<void> {
    await this.fanout.start();
    const batches = this.fanout.subscribe(BATCH_KEY, undefined);
    void (async () => {
      for await (const batch of batches) {
        if (batch === RESYNC) {
          for (const inboxes of this.byUser.values()) for (const inbox of inboxes) if (inbox.last() !== RESYNC) inbox.push(RESYNC);
          continue;
        }
        const createdAt = new Date(batch.createdAt);
        for (const [userId, id] of batch.to) {
          const inboxes = this.byUser.get(userId);
          if (!inboxes) continue;
          const item: Notification = { id: String(id), kind: batch.kind, channel: batch.channel, createdAt, readAt: null };
          for (const inbox of inboxes) inbox.push(item);
        }
      }
      // The fanout ended (shutting down): every stream completes.
      this.ended = true;
      for (const inboxes of this.byUser.values()) for (const inbox of inboxes) inbox.close();
    })();
  }

  /** `userId`'s new notifications (or `RESYNC`: catch up from the table) until `signal` aborts or `end()`. */
  subscribe(userId: string, signal: AbortSignal | undefined): Inbox<Notification | Resync> {
    const onAbort = () => inbox.close();
    const inbox = new Inbox<Notification | Resync>(() => {
      const inboxes = this.byUser.get(userId);
      inboxes?.delete(inbox);
      if (inboxes?.size === 0) this.byUser.delete(userId);
      signal?.removeEventListener("abort", onAbort);
    });
    let inboxes = this.byUser.get(userId);
    if (!inboxes) this.byUser.set(userId, (inboxes = new Set()));
    inboxes.add(inbox);
    signal?.addEventListener("abort", onAbort, { once: true });
    if (this.ended || signal?.aborted) inbox.close();
    return inbox;
  }

  /** As if the bus had been deaf: every stream catches up from the table (tests). */
  resync(): void {
    this.fanout.resync();
  }

  onResync(hook: () => void): () => void {
    return this.fanout.onResync(hook);
  }

  end(): void {
    this.fanout.end();
  }

  stop(): Promise<void> {
    return this.fanout.stop();
  }
}

/**
 * Tells every instance about new notifications (on commit inside a transaction), a few hundred
 * recipients a NOTIFY; the NOTIFYs are sent together (postgres.js pipelines them on the connection).
 */
export async function publishNotifications(db: Database, what: Omit<Wire, "to">, rows: { id: number; userId: string }[]): Promise<void> {
  const head = JSON.stringify({ ...what, to: [] }).length;
  const payloads: string[] = [];
  let to: Wire["to"] = [];
  let size = head;
  for (const row of rows) {
    const entry: [string, number] = [row.userId, row.id];
    const bytes = JSON.stringify(entry).length + 1;
    if (size + bytes > MAX_PAYLOAD_BYTES) {
      payloads.push(JSON.stringify({ ...what, to } satisfies Wire));
      to = [];
      size = head;
    }
    to.push(entry);
    size += bytes;
  }
  if (to.length > 0) payloads.push(JSON.stringify({ ...what, to } satisfies Wire));
  await Promise.all(payloads.map((payload) => notify(db, NOTIFICATION_CHANNEL, payload)));
}

const columns = {
  id: notification.id,
  kind: notification.kind,
  createdAt: notification.createdAt,
  readAt: notification.readAt,
  username: user.username,
  title: stream.title,
};

function select(db: Database) {
  return db
    .select(columns)
    .from(notification)
    .innerJoin(stream, eq(stream.id, notification.streamId))
    .innerJoin(user, eq(user.id, stream.userId));
}

const toNotification = (row: {
  id: number;
  kind: NotificationKind;
  createdAt: Date;
  readAt: Date | null;
  username: string | null;
  title: string;
}) => ({
  id: String(row.id),
  kind: row.kind,
  channel: { username: row.username ?? "", title: row.title },
  createdAt: row.createdAt,
  readAt: row.readAt,
});

export async function unreadCount(db: Database, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notification)
    .where(and(eq(notification.userId, userId), isNull(notification.readAt)));
  return row?.n ?? 0;
}

/** The caller's notifications, newest first, `limit` a page; `cursor` is the last id of the page before. */
export async function listNotifications(db: Database, userId: string, { cursor, limit }: { cursor?: string | null; limit: number }) {
  const rows = await select(db)
    .where(and(eq(notification.userId, userId), cursor ? lt(notification.id, Number(cursor)) : undefined))
    .orderBy(desc(notification.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit).map(toNotification);
  return { items, nextCursor: rows.length > limit ? items.at(-1)!.id : null, unread: await unreadCount(db, userId) };
}

/** `userId`'s notifications after id `afterId`, oldest first (a resume, a catch-up). */
export async function notificationsAfter(db: Database, userId: string, afterId: number, limit: number): Promise<Notification[]> {
  const rows = await select(db)
    .where(and(eq(notification.userId, userId), gt(notification.id, afterId)))
    .orderBy(asc(notification.id))
    .limit(limit);
  return rows.map(toNotification);
}

export async function newestNotificationId(db: Database, userId: string): Promise<number> {
  const [row] = await db
    .select({ id: sql<number>`coalesce(max(${notification.id}), 0)`.mapWith(Number) })
    .from(notification)
    .where(eq(notification.userId, userId));
  return row?.id ?? 0;
}

/** Marks the caller's own notifications read (`ids`, or all of them); another user's ids change nothing. */
export async function markNotificationsRead(db: Database, userId: string, ids: string[] | undefined): Promise<number> {
  await db
    .update(notification)
    .set({ readAt: sql`now()` })
    .where(and(eq(notification.userId, userId), isNull(notification.readAt), ids ? inArray(notification.id, ids.map(Number)) : undefined));
  return unreadCount(db, userId);
}
