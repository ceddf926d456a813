import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { user } from "./auth";

export const streamMode = pgEnum("stream_mode", ["browser"]);

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
    isChatEnabled: boolean().notNull().default(true),
    isChatDelayed: boolean().notNull().default(false),
    isChatFollowersOnly: boolean().notNull().default(false),
    slowModeSeconds: integer().notNull().default(10),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index().on(t.title),
    index().on(t.isLive),
    check("stream_slow_mode_seconds_range", sql`${t.slowModeSeconds} between 2 and 300`),
  ],
);

export type Stream = typeof stream.$inferSelect;
