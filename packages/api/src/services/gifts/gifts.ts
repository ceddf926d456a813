import { TRPCError } from "@trpc/server";
import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import { broadcast, gift, giftTransaction, stream, user, type Database } from "@onair/db";
import { channelSends } from "../sends/channel-sends";
import type { ChatAuthor } from "../chat/chat";
import type { Channel } from "../live/channels";
import type { GiftItem, GiftRequest, GiftResult } from "./gift-batch";

export type { GiftRequest, GiftTransaction } from "./gift-batch";

/** The catalogue is seeded by migrations and never changes while a server runs: read once per pool. */
const catalogs = new WeakMap<Database, Promise<Map<string, GiftItem>>>();
function catalogOf(db: Database): Promise<Map<string, GiftItem>> {
  let catalog = catalogs.get(db);
  if (!catalog) {
    catalog = db
      .select()
      .from(gift)
      .then((rows) => new Map(rows.map((row) => [row.id, row])));
    catalog.catch(() => catalogs.delete(db));
    catalogs.set(db, catalog);
  }
  return catalog;
}

/**
 * One gift, exactly once: the sender debited, the creator's earnings credited (`addEarnings`), the
 * transaction recorded and announced in chat, all in one transaction — the channel's next batch
 * (`channel-sends.ts`), shared with every gift and chat message sent to the channel meanwhile. The same
 * idempotency key from the same sender returns the first result and moves no coins again (also when both
 * copies land in one batch).
 *
 * The batch reads everything the rules need in a few statements for all its sends: the key already
 * used, the sender's restriction and a message's chat rules before the lock; under the channel's chat
 * lock the balance, and that the broadcast is still open: ending a broadcast takes that lock first (`endBroadcasts`), so a gift racing
 * the end either commits before it or is refused. The broadcast row itself is never locked here (the
 * ledger's foreign key takes only FOR KEY SHARE), so heartbeats, webhooks and the sweeper never wait.
 */
export async function sendGift(db: Database, channel: Channel, sender: ChatAuthor, request: GiftRequest): Promise<GiftResult> {
  const message = request.message || undefined;
  if (sender.id === channel.ownerId) throw new TRPCError({ code: "BAD_REQUEST", message: "username: you cannot send a gift to yourself" });
  const item = (await catalogOf(db)).get(request.giftId);
  if (!item) throw new TRPCError({ code: "BAD_REQUEST", message: `giftId: there is no gift "${request.giftId}"` });
  return (await channelSends(db).submit(channel.id, { kind: "gift", channel, sender, item, request, message })) as GiftResult;
}

const giftView = { id: gift.id, name: gift.name, icon: gift.icon, price: gift.price };

/** The gifts on offer, cheapest first. */
export function listGiftCatalog(db: Database) {
  return db.select(giftView).from(gift).orderBy(asc(gift.sortOrder), asc(gift.price));
}

/** The gifts `senderId` sent, newest first. */
export function listSentGifts(db: Database, senderId: string, limit: number) {
  return db
    .select({
      id: giftTransaction.id,
      price: giftTransaction.price,
      createdAt: giftTransaction.createdAt,
      gift: giftView,
      to: user.username,
    })
    .from(giftTransaction)
    .innerJoin(gift, eq(gift.id, giftTransaction.giftId))
    .innerJoin(user, eq(user.id, giftTransaction.creatorId))
    .where(eq(giftTransaction.senderId, senderId))
    .orderBy(desc(giftTransaction.createdAt))
    .limit(limit);
}

/** A creator's earnings per broadcast (newest first) and the latest gifts they received. */
export async function giftEarnings(db: Database, creatorId: string) {
  const perBroadcast = await db
    .select({
      broadcastId: broadcast.id,
      startedAt: broadcast.startedAt,
      endedAt: broadcast.endedAt,
      peakViewers: broadcast.peakViewers,
      coins: sql<number>`coalesce(sum(${giftTransaction.price}), 0)::int`,
      gifts: sql<number>`count(${giftTransaction.id})::int`,
    })
    .from(broadcast)
    .innerJoin(stream, eq(stream.id, broadcast.streamId))
    .leftJoin(giftTransaction, eq(giftTransaction.broadcastId, broadcast.id))
    .where(eq(stream.userId, creatorId))
    .groupBy(broadcast.id)
    .orderBy(desc(broadcast.startedAt))
    .limit(20);
  const latest = await db
    .select({
      id: giftTransaction.id,
      price: giftTransaction.price,
      createdAt: giftTransaction.createdAt,
      gift: giftView,
      from: user.username,
    })
    .from(giftTransaction)
    .innerJoin(gift, eq(gift.id, giftTransaction.giftId))
    .innerJoin(user, eq(user.id, giftTransaction.senderId))
    .where(eq(giftTransaction.creatorId, creatorId))
    .orderBy(desc(giftTransaction.createdAt))
    .limit(20);
  return { perBroadcast, latest };
}

/** Coins a creator received in their open broadcast (0 when offline): the Go Live page's running total. */
export async function currentGiftTotal(db: Database, creatorId: string) {
  const [row] = await db
    .select({
      coins: sql<number>`coalesce(sum(${giftTransaction.price}), 0)::int`,
      gifts: sql<number>`count(${giftTransaction.id})::int`,
    })
    .from(broadcast)
    .innerJoin(stream, eq(stream.id, broadcast.streamId))
    .leftJoin(giftTransaction, eq(giftTransaction.broadcastId, broadcast.id))
    .where(and(eq(stream.userId, creatorId), isNull(broadcast.endedAt)));
  return { coins: row?.coins ?? 0, gifts: row?.gifts ?? 0 };
}
