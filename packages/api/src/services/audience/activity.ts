import { and, desc, eq, gte } from "drizzle-orm";
import { follow, gift, giftTransaction, notify, notifyAll, user, type Database, type DatabaseHandle } from "@onair/db";
import { Fanout } from "../shared/events";

/** Follows and gifts to a creator's channel: `stream.onActivity`, for the creator only. */
export const ACTIVITY_CHANNEL = "onair_activity";
/** How many of the latest a creator gets on connecting. */
export const RECENT_ACTIVITY = 8;

export type ActivityEvent = (
  | { type: "follow"; id: string; username: string; at: Date }
  | { type: "gift"; id: string; username: string; giftName: string; icon: string; price: number; message: string | null; at: Date }
) & {
  /** Sent on connecting (it happened before): the studio lists it without an alert. */
  recent?: boolean;
};

type Wire = { ownerId: string; event: Omit<ActivityEvent, "at"> & { at: string | Date } };

export function createActivityEvents(listen: DatabaseHandle["listen"]) {
  return new Fanout<ActivityEvent>(listen, ACTIVITY_CHANNEL, (payload) => {
    const { ownerId, event } = JSON.parse(payload) as Wire;
    return { key: ownerId, value: { ...event, at: new Date(event.at) } as ActivityEvent };
  });
}
export type ActivityEvents = ReturnType<typeof createActivityEvents>;

/** Tells the creator `ownerId`'s open studio pages (on every instance; on commit inside a transaction). */
export function publishActivity(db: Database, ownerId: string, event: ActivityEvent): Promise<void> {
  return notify(db, ACTIVITY_CHANNEL, JSON.stringify({ ownerId, event } satisfies Wire));
}

/** `publishActivity` for several events of one creator, in this order, in one statement. */
export function publishActivities(db: Database, ownerId: string, events: ActivityEvent[]): Promise<void> {
  return notifyAll(
    db,
    ACTIVITY_CHANNEL,
    events.map((event) => JSON.stringify({ ownerId, event } satisfies Wire)),
  );
}

export const followActivity = (followerId: string, username: string, at: Date): ActivityEvent => ({
  type: "follow",
  id: `follow-${followerId}-${at.getTime()}`,
  username,
  at,
});

/** The latest follows and gifts to `ownerId`'s channel, oldest first. */
export function recentActivity(db: Database, ownerId: string): Promise<ActivityEvent[]> {
  return activitySince(db, ownerId, null, RECENT_ACTIVITY);
}

/** The latest `limit` follows and gifts to `ownerId`'s channel at or after `since` (null: any time), oldest first. */
export async function activitySince(db: Database, ownerId: string, since: Date | null, limit: number): Promise<ActivityEvent[]> {
  const [follows, gifts] = await Promise.all([
    db
      .select({ followerId: follow.followerId, username: user.username, at: follow.createdAt })
      .from(follow)
      .innerJoin(user, eq(user.id, follow.followerId))
      .where(and(eq(follow.followingId, ownerId), since ? gte(follow.createdAt, since) : undefined))
      .orderBy(desc(follow.createdAt))
      .limit(limit),
    db
      .select({
        id: giftTransaction.id,
        username: user.username,
        giftName: gift.name,
        icon: gift.icon,
        price: giftTransaction.price,
        message: giftTransaction.message,
        at: giftTransaction.createdAt,
      })
      .from(giftTransaction)
      .innerJoin(user, eq(user.id, giftTransaction.senderId))
      .innerJoin(gift, eq(gift.id, giftTransaction.giftId))
      .where(and(eq(giftTransaction.creatorId, ownerId), since ? gte(giftTransaction.createdAt, since) : undefined))
      .orderBy(desc(giftTransaction.createdAt))
      .limit(limit),
  ]);
  const events: ActivityEvent[] = [
    ...follows.map((row) => followActivity(row.followerId, row.username ?? "", row.at)),
    ...gifts.map((row) => ({ type: "gift" as const, ...row, id: `gift-${row.id}`, username: row.username ?? "" })),
  ];
  return events.sort((a, b) => a.at.getTime() - b.at.getTime()).slice(-limit);
}
