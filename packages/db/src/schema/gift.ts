import { sql } from "drizzle-orm";
import { check, index, integer, pgEnum, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { user } from "./auth";
import { broadcast } from "./broadcast";
import { stream } from "./stream";

/**
 * Every account's coins: `balance` is what it can spend, never below zero (the database refuses it,
 * whatever the code does). What its channel received in gifts is in `creator_earnings`.
 */
export const wallet = pgTable(
  "wallet",
  {
    userId: text()
      .primaryKey()
      .references(() => user.id, { onDelete: "cascade" }),
    balance: integer().notNull().default(0),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("wallet_balance_not_negative", sql`${t.balance} >= 0`)],
);

/**
 * What a creator's channel received in gifts, spread over a few counter rows (`slot`): a gift adds its
 * price to one slot chosen at random, in the gift's transaction, so concurrent gifts to one creator
 * rarely wait on the same row. The earnings are the sum of the slots (exact whenever read).
 */
export const creatorEarnings = pgTable(
  "creator_earnings",
  {
    userId: text()
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    slot: smallint().notNull(),
    amount: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.userId, t.slot] }), check("creator_earnings_not_negative", sql`${t.amount} >= 0`)],
);

export const walletCreditKind = pgEnum("wallet_credit_kind", ["welcome", "admin", "purchase"]);

/** Coins that entered a wallet from outside: the welcome grant, an admin's grant, (later) a purchase. */
export const walletCredit = pgTable(
  "wallet_credit",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: text()
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    kind: walletCreditKind().notNull(),
    amount: integer().notNull(),
    reason: text().notNull(),
    grantedById: text().references(() => user.id, { onDelete: "set null" }),
    /** A payment provider's reference (purchases): the same reference never credits twice. */
    externalRef: text().unique(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.userId, t.createdAt), check("wallet_credit_positive", sql`${t.amount} > 0`)],
);

/** The gift catalogue, seeded by a migration. */
export const gift = pgTable(
  "gift",
  {
    id: text().primaryKey(),
    name: text().notNull(),
    icon: text().notNull(),
    price: integer().notNull(),
    sortOrder: integer().notNull().default(0),
  },
  (t) => [check("gift_price_positive", sql`${t.price} > 0`)],
);

/** One gift from a viewer to a creator during a broadcast, at the price of that moment. */
export const giftTransaction = pgTable(
  "gift_transaction",
  {
    id: uuid().primaryKey().defaultRandom(),
    senderId: text()
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    creatorId: text()
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    streamId: uuid()
      .notNull()
      .references(() => stream.id, { onDelete: "cascade" }),
    broadcastId: uuid()
      .notNull()
      .references(() => broadcast.id, { onDelete: "cascade" }),
    giftId: text()
      .notNull()
      .references(() => gift.id),
    price: integer().notNull(),
    message: text(),
    idempotencyKey: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("gift_transaction_sender_key").on(t.senderId, t.idempotencyKey),
    index().on(t.broadcastId),
    index().on(t.creatorId, t.createdAt),
    index().on(t.senderId, t.createdAt),
    check("gift_transaction_price_positive", sql`${t.price} > 0`),
  ],
);
