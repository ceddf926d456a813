import { pgEnum, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { user } from "./auth";

export const ingressKind = pgEnum("ingress_kind", ["rtmp", "whip"]);
export type IngressKind = (typeof ingressKind.enumValues)[number];

/**
 * A creator's streaming-software endpoint (LiveKit Ingress): at most one per creator. `roomName` is the
 * LiveKit room the ingress joins when software connects: `broadcast-<id>` of the broadcast it will open
 * (or has open), moved to a fresh one after each broadcast ends, so every broadcast has its own room.
 * The stream key is a secret: only its creator's `ingress.*` answers carry it.
 */
export const ingress = pgTable("ingress", {
  userId: text()
    .primaryKey()
    .references(() => user.id, { onDelete: "cascade" }),
  ingressId: text().notNull().unique(),
  kind: ingressKind().notNull(),
  url: text().notNull(),
  streamKey: text().notNull(),
  roomName: text().notNull(),
  /** The last time software connected while a browser broadcast was open (and was turned away). */
  refusedAt: timestamp({ withTimezone: true }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type Ingress = typeof ingress.$inferSelect;
