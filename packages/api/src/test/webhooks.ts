import { createHash, randomUUID } from "node:crypto";
import { AccessToken, WebhookEvent } from "livekit-server-sdk";

export interface WebhookFields {
  event: string;
  id?: string;
  room?: string;
  identity?: string;
  /** For ingress_started / ingress_ended: the ingress (LiveKit sends its stream key too). */
  ingress?: { ingressId: string; roomName: string; streamKey?: string; status?: string };
  /** The track the event is about (track_published / track_unpublished). */
  track?: string;
  /** Track sids LiveKit lists for the participant at the time of the event. */
  tracks?: string[];
}

/** A LiveKit webhook event as the server SDK parses it. */
export function webhookEvent({ event, id = `EV_${randomUUID()}`, room, identity, ingress, track, tracks }: WebhookFields): WebhookEvent {
  return WebhookEvent.fromJson({
    event,
    id,
    createdAt: String(Math.floor(Date.now() / 1000)),
    ...(room ? { room: { name: room } } : {}),
    ...(identity ? { participant: { identity, tracks: (tracks ?? []).map((sid) => ({ sid })) } } : {}),
    ...(track ? { track: { sid: track } } : {}),
    ...(ingress
      ? {
          ingressInfo: {
            ingressId: ingress.ingressId,
            roomName: ingress.roomName,
            streamKey: ingress.streamKey ?? "",
            state: { status: ingress.status ?? (event === "ingress_ended" ? "ENDPOINT_INACTIVE" : "ENDPOINT_PUBLISHING") },
          },
        }
      : {}),
  });
}

/** The body and Authorization header exactly as LiveKit sends them: a JWT whose sha256 claim covers the body. */
export async function signedWebhook(fields: WebhookFields, credentials: { apiKey: string; apiSecret: string }) {
  const body = webhookEvent(fields).toJsonString();
  const token = new AccessToken(credentials.apiKey, credentials.apiSecret, { ttl: "5m" });
  token.sha256 = createHash("sha256").update(body).digest("base64");
  return { body, authorization: await token.toJwt() };
}
