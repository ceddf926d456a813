import type { WebhookEvent } from "livekit-server-sdk";
import { livekitEvent, type Database } from "@onair/db";

/** "refused": streaming software connected while a browser broadcast was open (ingress-webhooks.ts). */
export type WebhookOutcome = "applied" | "duplicate" | "stale" | "ignored" | "refused";

/**
 * Records a LiveKit webhook's event id, inside the transaction that applies its effect: true the first
 * time, false for a delivery already applied ("duplicate"), so each event takes effect exactly once.
 */
export async function recordWebhookEvent(tx: Database, event: WebhookEvent, roomName: string): Promise<boolean> {
  const [fresh] = await tx
    .insert(livekitEvent)
    .values({ id: event.id, event: event.event, roomName: roomName || null })
    .onConflictDoNothing()
    .returning({ id: livekitEvent.id });
  return fresh !== undefined;
}
