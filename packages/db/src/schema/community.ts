import { sql } from "drizzle-orm";
import {
  bigserial,
  check,
  index,
  integer,
  boolean,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { user } from "./auth";
import { stream } from "./stream";

/** `followerId` follows `followingId` (both users). Following twice is one row; it carries the follow's alert settings. */
export const follow = pgTable(
  "follow",
  {
    followerId: text()
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    followingId: text()
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Go-live alerts for this follow: in the bell (default on), by mail (default off). */
    alertInApp: boolean().notNull().default(true),
    alertEmail: boolean().notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.followerId, t.followingId] }),
    // A channel's followers in id order: the alert worker's batches.
    index().on(t.followingId, t.followerId),
    check("follow_not_self", sql`${t.followerId} <> ${t.followingId}`),
  ],
);

export const chatMessageKind = pgEnum("chat_message_kind", ["message", "gift"]);

/**
 * A channel's chat. Ids grow, and within a channel they commit in id order (writers take the
 * channel's chat lock before drawing one), so "everything after id N" is how a reconnect resumes.
 */
export const chatMessage = pgTable(
  "chat_message",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    streamId: uuid()
      .notNull()
      .references(() => stream.id, { onDelete: "cascade" }),
    userId: text()
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    kind: chatMessageKind().notNull().default("message"),
    text: text().notNull(),
    /** Extra data for non-text events (a gift's name, icon and price). */
    meta: jsonb().$type<Record<string, unknown>>(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp({ withTimezone: true }),
    deletedById: text().references(() => user.id, { onDelete: "set null" }),
    /** The sender's own id for the message (`chat.send`'s `clientMessageId`): a retry stores nothing twice. */
    clientId: text(),
  },
  (t) => [index().on(t.streamId, t.id), uniqueIndex().on(t.userId, t.clientId)],
);

/** When each user last sent in each channel: one atomic conditional upsert enforces slow mode. */
export const chatCooldown = pgTable(
  "chat_cooldown",
  {
    streamId: uuid()
      .notNull()
      .references(() => stream.id, { onDelete: "cascade" }),
    userId: text()
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    lastSentAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.streamId, t.userId] })],
);

export const channelRestrictionKind = pgEnum("channel_restriction_kind", ["timeout", "ban", "block"]);

/**
 * A creator's (or admin's) restriction of one user in one channel: `timeout` (chat, until `until`),
 * `ban` (chat, until lifted), `block` (chat and watching).
 */
export const channelRestriction = pgTable(
  "channel_restriction",
  {
    streamId: uuid()
      .notNull()
      .references(() => stream.id, { onDelete: "cascade" }),
    userId: text()
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    kind: channelRestrictionKind().notNull(),
    until: timestamp({ withTimezone: true }),
    createdById: text().references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.streamId, t.userId] })],
);

/**
 * A user the channel's creator (or an admin) appointed to moderate its chat: delete messages, time
 * out, ban, unban and list restrictions in that channel, nothing else.
 */
export const channelModerator = pgTable(
  "channel_moderator",
  {
    streamId: uuid()
      .notNull()
      .references(() => stream.id, { onDelete: "cascade" }),
    userId: text()
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    createdById: text().references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.streamId, t.userId] }), index().on(t.userId)],
);

export const moderationAction = pgEnum("moderation_action", [
  "delete",
  "timeout",
  "ban",
  "unban",
  "block",
  "unblock",
  "moderator_added",
  "moderator_removed",
]);

/**
 * Every moderation action in a channel (`moderation.log`), written in the transaction that takes it.
 * Who acted and on whom are kept by name too, so the log still reads after an account is deleted.
 */
export const moderationLog = pgTable(
  "moderation_log",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    streamId: uuid()
      .notNull()
      .references(() => stream.id, { onDelete: "cascade" }),
    actorId: text().references(() => user.id, { onDelete: "set null" }),
    actorName: text().notNull(),
    targetId: text().references(() => user.id, { onDelete: "set null" }),
    targetName: text().notNull(),
    action: moderationAction().notNull(),
    /** A timeout's length. */
    minutes: integer(),
    reason: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.streamId, t.id)],
);
