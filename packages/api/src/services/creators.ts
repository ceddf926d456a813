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

export async function findUserByUsername(db: Database, username: string) {
  const [row] = await db.select({ id: user.id, username: user.username, role: user.role }).from(user).where(eq(user.username, username));
  if (!row?.username) throw new TRPCError({ code: "NOT_FOUND", message: `No user named "${username}"` });
  return { id: row.id, username: row.username, role: row.role };
}
