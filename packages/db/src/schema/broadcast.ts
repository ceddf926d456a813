import { sql } from "drizzle-orm";
import { boolean, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { stream, streamMode } from "./stream";

export const broadcastEndReason = pgEnum("broadcast_end_reason", ["creator", "timeout", "left", "room_finished", "admin"]);
export type BroadcastEndReason = (typeof broadcastEndReason.enumValues)[number];

/**
 * One row per time a creator goes live. The LiveKit room is `broadcast-<id>`, so a late event from an
 * ended broadcast can never touch a new one. At most one open (endedAt null) row per stream: a partial
 * unique index, not luck.
 */
export const broadcast = pgTable(
  "broadcast",
  {
    id: uuid().primaryKey().defaultRandom(),
    streamId: uuid()
      .notNull()
      .references(() => stream.id, { onDelete: "cascade" }),
    roomName: text().notNull().unique(),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp({ withTimezone: true }),
    endReason: broadcastEndReason(),
    /** Last sign of life from the creator's page (`stream.heartbeat`, `stream.goLive`). */
    lastHeartbeatAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The creator's page said goodbye (pagehide beacon) or LiveKit saw them leave: ends after a grace. */
    creatorLeftAt: timestamp({ withTimezone: true }),
    /** LiveKit reported the creator's first published track. */
    publishingAt: timestamp({ withTimezone: true }),
    peakViewers: integer().notNull().default(0),
    /** What feeds it: the browser (heartbeats keep it open) or an ingress (LiveKit's ingress events do). */
    mode: streamMode().notNull().default("browser"),
    /**
     * Opened without video on purpose, outside production, to try OnAir with no LiveKit server
     * (`stream.goLive({ withoutVideo: true })`): live for chat, gifts and activity, never publishing.
     */
    withoutVideo: boolean().notNull().default(false),
  },
  (t) => [
    uniqueIndex("broadcast_one_open_per_stream")
      .on(t.streamId)
      .where(sql`${t.endedAt} is null`),
    index("broadcast_open_heartbeat")
      .on(t.lastHeartbeatAt)
      .where(sql`${t.endedAt} is null`),
    index().on(t.streamId, t.startedAt),
  ],
);

export type Broadcast = typeof broadcast.$inferSelect;

/** LiveKit webhook event ids already applied: each event changes state once, however often it arrives. */
export const livekitEvent = pgTable("livekit_event", {
  id: text().primaryKey(),
  event: text().notNull(),
  roomName: text(),
  receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
