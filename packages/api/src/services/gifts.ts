import { TRPCError } from "@trpc/server";
import { and, eq, isNull, sql } from "drizzle-orm";
import { addEarnings, broadcast, gift, giftTransaction, wallet, type Database } from "@onair/db";
import { publishActivity } from "./activity";
import { lockChannelChat, postChatEntry, type ChatAuthor } from "./chat";
import { activeRestriction, chatRefusal, takeChatSlot } from "./chat-send";
import type { Channel } from "./channels";

export interface GiftRequest {
  giftId: string;
  idempotencyKey: string;
  message?: string | undefined;
}

export type GiftTransaction = typeof giftTransaction.$inferSelect;

const restrictedWords = (restriction: { kind: string }) =>
  restriction.kind === "timeout"
    ? "You are timed out in this channel"
    : restriction.kind === "ban"
      ? "You are banned from this channel"
      : "This channel has blocked you";

const notLive = (channel: Channel) =>
  new TRPCError({ code: "PRECONDITION_FAILED", message: `${channel.username} is not live: gifts can be sent during a stream` });

async function isOpen(db: Database, broadcastId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: broadcast.id })
    .from(broadcast)
    .where(and(eq(broadcast.id, broadcastId), isNull(broadcast.endedAt)));
  return row !== undefined;
}

/** Thrown inside the transaction when the same key won a concurrent race: roll back, return the winner. */
class AlreadySent extends Error {}

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
 * One gift, exactly once: debit the sender, add to the creator's earnings (`addEarnings`), record the transaction and
 * announce it in chat, all in one transaction. The same idempotency key from the same sender returns
 * the first result and moves no coins again.
 *
 * A gift racing the end of the stream either completes before it ends or is refused after: the gift
 * checks its broadcast is still open under the channel's chat lock, held to commit, and ending a
 * broadcast takes that lock first (`endBroadcasts`). The broadcast row itself is never locked here
 * (the ledger's foreign key takes only FOR KEY SHARE), so the creator's heartbeats, LiveKit's webhooks
 * and the sweeper, which update that row, never wait behind a gift.
 */
export async function sendGift(db: Database, channel: Channel, sender: ChatAuthor, request: GiftRequest) {
  const earlier = await findByKey(db, sender.id, request.idempotencyKey);
  if (earlier) return replay(db, earlier, channel, request);
  if (sender.id === channel.ownerId) throw new TRPCError({ code: "BAD_REQUEST", message: "username: you cannot send a gift to yourself" });
  const [item] = await db.select().from(gift).where(eq(gift.id, request.giftId));
  if (!item) throw new TRPCError({ code: "BAD_REQUEST", message: `giftId: there is no gift "${request.giftId}"` });
  // Nobody the channel has timed out, banned or blocked gives (each gift is a line in its chat).
  const restriction = await activeRestriction(db, channel.id, sender.id);
  if (restriction) throw new TRPCError({ code: "FORBIDDEN", message: `${restrictedWords(restriction)}: you cannot send gifts here` });
  // A message is chat: it follows the chat's rules (the gift alone is always welcome); slow mode below.
  const message = request.message || undefined;
  if (message) {
    const refusal = await chatRefusal(db, channel, sender, restriction);
    if (refusal) throw new TRPCError({ code: "FORBIDDEN", message: `${refusal}. Send the gift without a message.` });
  }

  try {
    return await db.transaction(async (tx) => {
      const [open] = await tx
        .select({ id: broadcast.id })
        .from(broadcast)
        .where(and(eq(broadcast.streamId, channel.id), isNull(broadcast.endedAt)));
      if (!open) throw notLive(channel);
      // Before the debit: a message refused by slow mode rolls everything back.
      if (message) await takeChatSlot(tx, channel, sender);

      const [debited] = await tx
        .update(wallet)
        .set({ balance: sql`${wallet.balance} - ${item.price}`, updatedAt: sql`now()` })
        .where(and(eq(wallet.userId, sender.id), sql`${wallet.balance} >= ${item.price}`))
        .returning({ balance: wallet.balance });
      if (!debited) {
        const have = await balanceOf(tx, sender.id);
        throw new TRPCError({
          code: "PAYMENT_REQUIRED",
          message: `Not enough coins: a ${item.name} costs ${item.price} and you have ${have}`,
        });
      }
      const [transaction] = await tx
        .insert(giftTransaction)
        .values({
          senderId: sender.id,
          creatorId: channel.ownerId,
          streamId: channel.id,
          broadcastId: open.id,
          giftId: item.id,
          price: item.price,
          message: message ?? null,
          idempotencyKey: request.idempotencyKey,
        })
        .onConflictDoNothing()
        .returning();
      if (!transaction) throw new AlreadySent();

      // Not the creator's wallet row: one of a few counter rows, so gifts to one creator rarely queue here.
      await addEarnings(tx, channel.ownerId, item.price);

      const meta = {
        giftId: item.id,
        giftName: item.name,
        icon: item.icon,
        price: item.price,
        transactionId: transaction.id,
        message: message ?? null,
      };
      const text = message ? `sent a ${item.name}: ${message}` : `sent a ${item.name}`;
      // The end of the stream, if it came first, is committed by now: then this gift is refused, whole.
      await lockChannelChat(tx, channel.id);
      if (!(await isOpen(tx, open.id))) throw notLive(channel);
      await postChatEntry(tx, channel, sender, { kind: "gift", text, meta });
      await publishActivity(tx, channel.ownerId, {
        type: "gift",
        id: `gift-${transaction.id}`,
        username: sender.username,
        giftName: item.name,
        icon: item.icon,
        price: item.price,
        message: message ?? null,
        at: transaction.createdAt,
      });
      return { transaction, balance: debited.balance, replayed: false };
    });
  } catch (error) {
    if (!(error instanceof AlreadySent)) throw error;
    const winner = await findByKey(db, sender.id, request.idempotencyKey);
    return replay(db, winner!, channel, request);
  }
}

/** The first result for a key; a key reused for a different gift or channel is a CONFLICT, not a gift. */
async function replay(db: Database, earlier: GiftTransaction, channel: Channel, request: GiftRequest) {
  if (earlier.giftId !== request.giftId || earlier.streamId !== channel.id) {
    throw new TRPCError({
      code: "CONFLICT",
      message: "idempotencyKey: already used for a different gift; use a new key for a new gift",
    });
  }
  return { transaction: earlier, balance: await balanceOf(db, earlier.senderId), replayed: true };
}
