import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { gift, giftTransaction, wallet, type Database } from "@onair/db";
import { channelSends } from "./channel-sends";
import type { ChatAuthor } from "./chat";
import { activeRestriction, chatRefusal } from "./chat-send";
import type { Channel } from "./channels";
import type { GiftItem, GiftRequest, GiftResult } from "./gift-batch";
import { replayGift, restrictedWords } from "./gift-rules";
import { withSendSlot } from "./send-slots";

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

async function findByKey(db: Database, senderId: string, key: string) {
  const [row] = await db
    .select()
    .from(giftTransaction)
    .where(and(eq(giftTransaction.senderId, senderId), eq(giftTransaction.idempotencyKey, key)));
  return row ?? null;
}

async function balanceOf(db: Database, userId: string): Promise<number> {
  const [row] = await db.select({ balance: wallet.balance }).from(wallet).where(eq(wallet.userId, userId));
  return row?.balance ?? 0;
}

/**
 * One gift, exactly once: the sender debited, the creator's earnings credited (`addEarnings`), the
 * transaction recorded and announced in chat, all in one transaction — the channel's next batch
 * (`channel-sends.ts`), shared with every gift and chat message sent to the channel meanwhile. The same
 * idempotency key from the same sender returns the first result and moves no coins again (also when both
 * copies land in one batch).
 *
 * The checks that need no lock run here first, concurrently (the key already used, the catalogue, the
 * sender's restriction, a message's chat rules). Under the channel's chat lock the batch checks the
 * broadcast is still open: ending a broadcast takes that lock first (`endBroadcasts`), so a gift racing
 * the end either commits before it or is refused. The broadcast row itself is never locked here (the
 * ledger's foreign key takes only FOR KEY SHARE), so heartbeats, webhooks and the sweeper never wait.
 */
export async function sendGift(db: Database, channel: Channel, sender: ChatAuthor, request: GiftRequest): Promise<GiftResult> {
  const message = request.message || undefined;
  const checked = await withSendSlot(db, async () => {
    const earlier = await findByKey(db, sender.id, request.idempotencyKey);
    if (earlier) return replayGift(earlier, channel, request, await balanceOf(db, sender.id));
    if (sender.id === channel.ownerId)
      throw new TRPCError({ code: "BAD_REQUEST", message: "username: you cannot send a gift to yourself" });
    const item = (await catalogOf(db)).get(request.giftId);
    if (!item) throw new TRPCError({ code: "BAD_REQUEST", message: `giftId: there is no gift "${request.giftId}"` });
    // Nobody the channel has timed out, banned or blocked gives (each gift is a line in its chat).
    const restriction = await activeRestriction(db, channel.id, sender.id);
    if (restriction) throw new TRPCError({ code: "FORBIDDEN", message: `${restrictedWords(restriction)}: you cannot send gifts here` });
    // A message is chat: it follows the chat's rules (the gift alone is always welcome); slow mode in the batch.
    if (message) {
      const refusal = await chatRefusal(db, channel, sender, restriction);
      if (refusal) throw new TRPCError({ code: "FORBIDDEN", message: `${refusal}. Send the gift without a message.` });
    }
    return item;
  });
  if ("transaction" in checked) return checked;
  return (await channelSends(db).submit(channel.id, { kind: "gift", channel, sender, item: checked, request, message })) as GiftResult;
}
