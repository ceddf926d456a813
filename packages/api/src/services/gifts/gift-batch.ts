import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { addEarnings, broadcast, type gift, giftTransaction, wallet, type Database } from "@onair/db";
import type { ChatAuthor } from "../chat/chat";
import type { Channel } from "../live/channels";

export type GiftTransaction = typeof giftTransaction.$inferSelect;
export type GiftItem = typeof gift.$inferSelect;

export interface GiftRequest {
  giftId: string;
  idempotencyKey: string;
  message?: string | undefined;
}

/** A gift waiting for its channel's batch: checked already for everything that needs no lock. */
export interface GiftSend {
  kind: "gift";
  channel: Channel;
  sender: ChatAuthor;
  item: GiftItem;
  request: GiftRequest;
  message: string | undefined;
}

export interface GiftResult {
  transaction: GiftTransaction;
  balance: number;
  replayed: boolean;
}

export const keyOf = (senderId: string, idempotencyKey: string) => `${senderId}\n${idempotencyKey}`;

/**
 * What a batch's gifts need to know, read under the channel's lock: the channel's open broadcast (ending
 * one takes the same lock, so it stays open until the batch commits), the senders' balances with their
 * wallets locked (in user id order, so batches of two channels never deadlock), and which keys were used
 * already. Every gift locks its sender's wallet before storing its key, so no other gift can store one of
 * these keys until this batch commits.
 */
export async function readGiftState(db: Database, streamId: string, gifts: GiftSend[]) {
  const [open] = await db
    .select({ id: broadcast.id })
    .from(broadcast)
    .where(and(eq(broadcast.streamId, streamId), isNull(broadcast.endedAt)));
  const senders = [...new Set(gifts.map((send) => send.sender.id))].sort();
  const balances = new Map<string, number>();
  const used = new Map<string, GiftTransaction>();
  if (!senders.length) return { openId: open?.id ?? null, balances, used };
  const wallets = await db
    .select({ userId: wallet.userId, balance: wallet.balance })
    .from(wallet)
    .where(inArray(wallet.userId, senders))
    .orderBy(wallet.userId)
    .for("update");
  for (const row of wallets) balances.set(row.userId, row.balance);
  const earlier = await db
    .select()
    .from(giftTransaction)
    .where(
      and(
        inArray(giftTransaction.senderId, senders),
        inArray(
          giftTransaction.idempotencyKey,
          gifts.map((send) => send.request.idempotencyKey),
        ),
      ),
    );
  for (const row of earlier) used.set(keyOf(row.senderId, row.idempotencyKey), row);
  return { openId: open?.id ?? null, balances, used };
}

/**
 * Stores the accepted gifts: each sender's wallet debited once by the sum of their gifts (checked in
 * memory against the locked balance; the database refuses a negative one anyway), the transactions
 * (one statement), and the creator's earnings once by the batch's total. Returns the transactions in order.
 */
export async function writeGifts(db: Database, channel: Channel, broadcastId: string, accepted: GiftSend[]): Promise<GiftTransaction[]> {
  if (!accepted.length) return [];
  const debits = new Map<string, number>();
  for (const send of accepted) debits.set(send.sender.id, (debits.get(send.sender.id) ?? 0) + send.item.price);
  const rows = sql.join(
    [...debits].map(([userId, amount]) => sql`(${userId}::text, ${amount}::int)`),
    sql`, `,
  );
  await db.execute(sql`
    update ${wallet} set balance = ${wallet.balance} - debit.amount, updated_at = now()
    from (values ${rows}) as debit(user_id, amount) where ${wallet.userId} = debit.user_id`);
  const stored = await db
    .insert(giftTransaction)
    .values(
      accepted.map((send) => ({
        senderId: send.sender.id,
        creatorId: channel.ownerId,
        streamId: channel.id,
        broadcastId,
        giftId: send.item.id,
        price: send.item.price,
        message: send.message ?? null,
        idempotencyKey: send.request.idempotencyKey,
      })),
    )
    .onConflictDoNothing()
    .returning();
  // Cannot happen while every gift follows the wallet lock above; if it did, nothing of the batch commits.
  if (stored.length !== accepted.length) throw new Error("gift batch: an idempotency key was stored concurrently");
  const byKey = new Map(stored.map((row) => [keyOf(row.senderId, row.idempotencyKey), row]));
  // Not the creator's wallet row: one of a few counter rows, once per batch.
  await addEarnings(
    db,
    channel.ownerId,
    accepted.reduce((sum, send) => sum + send.item.price, 0),
  );
  return accepted.map((send) => byKey.get(keyOf(send.sender.id, send.request.idempotencyKey))!);
}
