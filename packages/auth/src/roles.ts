import { and, eq, inArray, lt, ne, notExists, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { EventEmitter } from "node:events";
import { notify, schema, type Database } from "@onair/db";

/**
 * NOTIFY channel, payload a user id: that user's sessions or account changed (sign-out, revoked
 * sessions, profile update, role change, deletion). Session caches on every instance drop the user's entries.
 */
export const ACCOUNT_CHANNEL = "onair_session";
/** The same announcement inside this process, at once (events: "change", with the user id). */
export const accountChanges = new EventEmitter().setMaxListeners(0);

export async function announceAccountChange(db: Database, userId: string) {
  accountChanges.emit("change", userId);
  // A failed NOTIFY must not fail the change itself; other instances' entries expire within a minute.
  await notify(db, ACCOUNT_CHANNEL, userId).catch(() => {});
}

/** Serialises the first-account check across connections and instances (any number that fits an int8). */
const FIRST_ADMIN_LOCK = 7_020_101;

/**
 * Outside production with no ADMIN_EMAILS, the first account is the admin: exactly one, however many
 * sign-ups race. Runs after the account is committed; under a transaction-scoped advisory lock, it
 * promotes this account only if no admin exists and no account is older. Returns whether it did.
 */
export async function promoteIfFirst(db: Database, userId: string): Promise<boolean> {
  const { user } = schema;
  const older = alias(user, "older");
  const admin = alias(user, "existing_admin");
  const promoted = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${FIRST_ADMIN_LOCK})`);
    return tx
      .update(user)
      .set({ role: "admin" })
      .where(
        and(
          eq(user.id, userId),
          notExists(tx.select({ id: admin.id }).from(admin).where(eq(admin.role, "admin"))),
          notExists(tx.select({ id: older.id }).from(older).where(lt(older.createdAt, user.createdAt))),
        ),
      )
      .returning({ id: user.id });
  });
  if (promoted.length > 0) await announceAccountChange(db, userId);
  return promoted.length > 0;
}

export type RoleChange = { id: string; username: string | null; email: string; role: "admin" | "user"; changed: boolean };

/**
 * Sets the role of the account with this email or username (either, any case), and tells every
 * server's session cache at once. A revoke also marks the account so ADMIN_EMAILS never makes it admin
 * again (even if it was no admin yet); a grant clears the mark. Null when there is no such account.
 */
export async function setRole(db: Database, login: string, role: "admin" | "user"): Promise<RoleChange | null> {
  const { user } = schema;
  const name = login.trim().replace(/^@/, "").toLowerCase();
  const [found] = await db
    .select({ id: user.id, username: user.username, email: user.email, role: user.role, adminRevoked: user.adminRevoked })
    .from(user)
    .where(or(eq(user.email, name), eq(user.username, name)))
    .limit(1);
  if (!found) return null;
  const { adminRevoked, ...account } = found;
  const revoked = role === "user";
  if (found.role === role && adminRevoked === revoked) return { ...account, role, changed: false };
  await db.update(user).set({ role, adminRevoked: revoked, updatedAt: new Date() }).where(eq(user.id, found.id));
  if (found.role !== role) await announceAccountChange(db, found.id);
  return { ...account, role, changed: found.role !== role };
}

/**
 * A password reset mailed to the account's address was completed: if that address is listed
 * (ADMIN_EMAILS), the account becomes admin, unless `npm run admin -- revoke` unmade it (until `grant`).
 * The only way the list makes an admin of an existing account. True when it did.
 */
export async function promoteAfterReset(db: Database, userId: string, listed: Set<string>): Promise<boolean> {
  if (listed.size === 0) return false;
  const { user } = schema;
  const rows = await db
    .update(user)
    .set({ role: "admin", updatedAt: new Date() })
    .where(and(eq(user.id, userId), inArray(sql`lower(${user.email})`, [...listed]), eq(user.adminRevoked, false), ne(user.role, "admin")))
    .returning({ id: user.id });
  return rows.length > 0;
}
