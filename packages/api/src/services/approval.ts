import { eq, sql } from "drizzle-orm";
import { broadcast, creatorApplication, stream } from "@onair/db";
import { endAndCloseRooms } from "./broadcasts";
import { findIngress, revokeIngress } from "./ingress";
import type { Services } from "./types";
import { IngressError } from "./livekit";

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
  const [own] = await services.db.select({ id: stream.id }).from(stream).where(eq(stream.userId, userId));
  const ended = own ? await endAndCloseRooms(services, eq(broadcast.streamId, own.id), "admin") : [];
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
