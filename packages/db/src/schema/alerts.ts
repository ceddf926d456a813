import { bigserial, index, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { user } from "./auth";
import { broadcast } from "./broadcast";
import { stream } from "./stream";

/** What a notification says; `live`: a followed channel went live. May grow. */
export const notificationKind = pgEnum("notification_kind", ["live"]);
export type NotificationKind = (typeof notificationKind.enumValues)[number];

/**
 * A user's notifications (the bell). Written in batches by the alert worker under one lock, so ids
 * commit in id order: "everything after id N" is how `notification.onNew` resumes.
 */
export const notification = pgTable(
  "notification",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    userId: text()
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    kind: notificationKind().notNull(),
    streamId: uuid()
      .notNull()
      .references(() => stream.id, { onDelete: "cascade" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index().on(t.userId, t.id),
    index("notification_unread")
      .on(t.userId)
      .where(sql`${t.readAt} is null`),
  ],
);

/**
 * The go-live outbox: one job per broadcast whose media first flowed, queued in the same statement that
 * marks it publishing. Workers claim a job with `FOR UPDATE SKIP LOCKED` and write a batch of followers
 * per transaction, moving `cursor` (the last follower id done) in it: exactly once across instances and
 * restarts.
 */
export const alertJob = pgTable(
  "alert_job",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    broadcastId: uuid()
      .notNull()
      .unique()
      .references(() => broadcast.id, { onDelete: "cascade" }),
    streamId: uuid()
      .notNull()
      .references(() => stream.id, { onDelete: "cascade" }),
    cursor: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    doneAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("alert_job_pending")
      .on(t.id)
      .where(sql`${t.doneAt} is null`),
  ],
);

/**
 * Email alerts: queued by the worker within the limits (one per channel per 12 hours, ten a day per
 * follower, counted from these rows), then claimed and sent; the rows of the last day are the limits' memory.
 */
export const alertMail = pgTable(
  "alert_mail",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    userId: text()
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    streamId: uuid()
      .notNull()
      .references(() => stream.id, { onDelete: "cascade" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    claimedAt: timestamp({ withTimezone: true }),
    sentAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index().on(t.userId, t.createdAt),
    index("alert_mail_pending")
      .on(t.id)
      .where(sql`${t.sentAt} is null`),
  ],
);

/** Alert settings live on the follow itself (`follow.alertInApp`, `follow.alertEmail`). */
export type AlertSettings = { inApp: boolean; email: boolean };
export const ALERT_DEFAULTS: AlertSettings = { inApp: true, email: false };
