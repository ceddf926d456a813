import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { user } from "./auth";

/** What feeds a broadcast: the creator's browser (WebRTC) or streaming software through LiveKit Ingress. */
export const streamMode = pgEnum("stream_mode", ["browser", "ingress"]);
export type StreamMode = (typeof streamMode.enumValues)[number];

/** A creator's channel: one per user, created by `stream.upsert`. */
export const stream = pgTable(
  "stream",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: text()
      .notNull()
      .unique()
      .references(() => user.id, { onDelete: "cascade" }),
    title: text().notNull(),
    description: text(),
    thumbnail: text(),
    mode: streamMode().notNull().default("browser"),
    isLive: boolean().notNull().default(false),
    liveSince: timestamp({ withTimezone: true }),
    /** When the last broadcast ended: the directory lists recently live channels after live ones. */
    lastLiveAt: timestamp({ withTimezone: true }),
    /** Viewers in the open broadcast now (0 when offline); the directory sorts by it. */
    viewerCount: integer().notNull().default(0),
    isChatEnabled: boolean().notNull().default(true),
    isChatDelayed: boolean().notNull().default(false),
    isChatFollowersOnly: boolean().notNull().default(false),
    slowModeSeconds: integer().notNull().default(10),
    /** With followers-only chat: how long someone must have followed before they may send (0: at once). */
    followersOnlyMinutes: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index().on(t.title),
    index().on(t.isLive),
    // The directory: live channels by viewers, then recently live ones (trigram search indexes on
    // title and username are in migration 0003, written by hand: drizzle-kit has no opclass syntax).
    index("stream_live_order")
      .on(t.viewerCount.desc(), t.liveSince.desc(), t.id.desc())
      .where(sql`${t.isLive}`),
    index("stream_recent_order")
      .on(t.lastLiveAt.desc(), t.id.desc())
      .where(sql`not ${t.isLive} and ${t.lastLiveAt} is not null`),
    check("stream_slow_mode_seconds_range", sql`${t.slowModeSeconds} between 2 and 300`),
    check("stream_followers_only_minutes_range", sql`${t.followersOnlyMinutes} between 0 and 43200`),
  ],
);

export type Stream = typeof stream.$inferSelect;
