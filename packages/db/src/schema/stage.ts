import { sql } from "drizzle-orm";
import { index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { user } from "./auth";
import { broadcast } from "./broadcast";

/**
 * Where a guest stands on a broadcast's stage: asked (`invited`), on camera (`accepted`), said no
 * (`declined`), taken off by the creator or the end of the broadcast (`removed`), or gone themself (`left`).
 */
export const stageGuestStatus = pgEnum("stage_guest_status", ["invited", "accepted", "declined", "removed", "left"]);
export type StageGuestStatus = (typeof stageGuestStatus.enumValues)[number];

/**
 * A user invited on camera into one broadcast ("guest on stage"). An invitation belongs to that
 * broadcast only; at most one current (invited or accepted) row per broadcast and user: a partial
 * unique index. A finished row stays as history; a new invitation is a new row.
 */
export const stageGuest = pgTable(
  "stage_guest",
  {
    id: uuid().primaryKey().defaultRandom(),
    broadcastId: uuid()
      .notNull()
      .references(() => broadcast.id, { onDelete: "cascade" }),
    userId: text()
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    invitedBy: text().references(() => user.id, { onDelete: "set null" }),
    status: stageGuestStatus().notNull().default("invited"),
    invitedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** When the guest accepted (on stage since). */
    acceptedAt: timestamp({ withTimezone: true }),
    /** When the invitation or the stay on stage ended (declined, removed, left). */
    endedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex("stage_guest_one_current")
      .on(t.broadcastId, t.userId)
      .where(sql`${t.status} in ('invited', 'accepted')`),
    // A user's pending invitations (stage.onInvite on connecting).
    index("stage_guest_invited_user")
      .on(t.userId)
      .where(sql`${t.status} = 'invited'`),
  ],
);

export type StageGuest = typeof stageGuest.$inferSelect;
