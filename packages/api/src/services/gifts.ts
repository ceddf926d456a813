import { TRPCError } from "@trpc/server";
import { gift, type Database } from "@onair/db";
import { channelSends } from "./channel-sends";
import type { ChatAuthor } from "./chat";
import type { Channel } from "./channels";
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
