import { asc, eq, sql } from "drizzle-orm";
import { broadcast, creatorApplication, user, type Database } from "@onair/db";
import { endAndCloseRooms } from "./broadcasts";
import { findIngress, revokeIngress } from "../ingress/ingress";
import type { Services } from "../types";
import { IngressError } from "../livekit";
import { ensureStream, findStreamId } from "./streams";

/** Asks to become a creator: asking again is harmless, a rejected account may ask again, an approved one stays approved. */
export async function requestCreatorApproval(db: Database, userId: string) {
  const [row] = await db
    .insert(creatorApplication)
    .values({ userId, status: "pending" })
    .onConflictDoUpdate({
      target: creatorApplication.userId,
      set: {
        status: sql`case when ${creatorApplication.status} = 'approved' then 'approved'::creator_application_status else 'pending'::creator_application_status end`,
        updatedAt: sql`now()`,
      },
    })
    .returning({ status: creatorApplication.status });
  return { status: row?.status === "approved" ? ("approved" as const) : ("pending" as const) };
}

/** Approves an application (or makes an account a creator directly) and opens its channel, in one transaction. */
export async function approveCreator(db: Database, target: { id: string; username: string }, reviewedById: string) {
  const review = { status: "approved" as const, reviewedById, reviewedAt: new Date() };
  await db.transaction(async (tx) => {
    await tx
      .insert(creatorApplication)
      .values({ userId: target.id, ...review })
      .onConflictDoUpdate({ target: creatorApplication.userId, set: { ...review, updatedAt: sql`now()` } });
    await ensureStream(tx, target.id, target.username);
  });
  return { status: "approved" as const };
}

/** Applications waiting for an admin, oldest first. */
export function listPendingCreators(db: Database, limit: number) {
  return db
    .select({
      username: user.username,
      name: user.name,
      email: user.email,
      requestedAt: creatorApplication.updatedAt,
    })
    .from(creatorApplication)
    .innerJoin(user, eq(user.id, creatorApplication.userId))
    .where(eq(creatorApplication.status, "pending"))
    .orderBy(asc(creatorApplication.updatedAt))
    .limit(limit);
}

/** What became of the creator's streaming-software ingress: none, deleted at LiveKit and here, or kept (LiveKit refused; asking again retries). */
export type RevokedIngress = "none" | "deleted" | "kept";

/**
 * Refuses an application, or withdraws an approval, and takes the creator off the air. From the moment
 * the status commits, `stream.goLive` and every creator procedure are refused (FORBIDDEN) and LiveKit's
 * `ingress_started` for their ingress opens nothing (ingress-webhooks.ts removes its participant).
 * Then their ingress is deleted at LiveKit, so its key stops at once, and an open broadcast (browser or
 * software) ends with reason `admin`, its room deleted so every viewer is disconnected, as `stream.end`
 * does. A broadcast that `ingress_started` opened in the same instant is ended too: that webhook holds a
 * share lock on the application until it commits, so the status update below waits for it.
 * Null when the user never applied.
 */
export async function withdrawApproval(services: Services, userId: string, reviewedById: string) {
  const [row] = await services.db
    .update(creatorApplication)
    .set({ status: "rejected", reviewedById, reviewedAt: new Date(), updatedAt: sql`now()` })
    .where(eq(creatorApplication.userId, userId))
    .returning({ status: creatorApplication.status });
  if (!row) return null;
  const ingress = await revokeIngressOf(services, userId);
  const streamId = await findStreamId(services.db, userId);
  const ended = streamId ? await endAndCloseRooms(services, eq(broadcast.streamId, streamId), "admin") : [];
  return { status: "rejected" as const, ended: ended.length > 0, ingress };
}

async function revokeIngressOf(services: Services, userId: string): Promise<RevokedIngress> {
  const row = await findIngress(services.db, userId);
  if (!row) return "none";
  // With INGRESS=off nothing can be asked of LiveKit, and nothing here listens to the ingress's events either.
  if (!services.ingress) return "kept";
  try {
    await revokeIngress(services.db, services.ingress, row);
    return "deleted";
  } catch (error) {
    if (!(error instanceof IngressError)) throw error;
    return "kept"; // logged by the LiveKit service
  }
}
