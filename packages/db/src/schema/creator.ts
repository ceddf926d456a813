import { pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { user } from "./auth";

export const creatorApplicationStatus = pgEnum("creator_application_status", ["none", "pending", "approved", "rejected"]);
export type CreatorStatus = (typeof creatorApplicationStatus.enumValues)[number];

/** One row per account that asked to become a creator; `status` moves pending → approved | rejected. */
export const creatorApplication = pgTable("creator_application", {
  id: uuid().primaryKey().defaultRandom(),
  userId: text()
    .notNull()
    .unique()
    .references(() => user.id, { onDelete: "cascade" }),
  status: creatorApplicationStatus().notNull().default("pending"),
  reviewedById: text().references(() => user.id, { onDelete: "set null" }),
  reviewedAt: timestamp({ withTimezone: true }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
