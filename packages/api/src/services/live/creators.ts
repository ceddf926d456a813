import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { creatorApplication, user, type CreatorStatus, type Database } from "@onair/db";

export async function creatorStatusOf(db: Database, userId: string): Promise<CreatorStatus> {
  const [row] = await db
    .select({ status: creatorApplication.status })
    .from(creatorApplication)
    .where(eq(creatorApplication.userId, userId));
  return row?.status ?? "none";
}

/**
 * Whether the user may go live (an approved creator). With `lock` (inside a transaction) their
 * application is share-locked until that commits: a withdrawal of approval then waits for what the
 * caller opens, and ends it (`withdrawApproval` ends broadcasts after its own commit).
 */
export async function mayGoLive(db: Database, userId: string, { lock = false } = {}): Promise<boolean> {
  const query = db.select({ status: creatorApplication.status }).from(creatorApplication).where(eq(creatorApplication.userId, userId));
  const [row] = lock ? await query.for("share") : await query;
  return row?.status === "approved";
}

export async function findUserByUsername(db: Database, username: string) {
  const [row] = await db.select({ id: user.id, username: user.username, role: user.role }).from(user).where(eq(user.username, username));
  if (!row?.username) throw new TRPCError({ code: "NOT_FOUND", message: `No user named "${username}"` });
  return { id: row.id, username: row.username, role: row.role };
}
