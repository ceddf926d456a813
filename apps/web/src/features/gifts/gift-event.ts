import type { ChatEvent } from "@onair/api";

export interface GiftEvent {
  /** The chat message id: unique per gift. */
  id: number;
  from: string;
  name: string;
  icon: string;
  price: number;
  /** The sender's note, if any (the chat text is "sent a <gift>: <note>"). */
  note: string | null;
}

/** A gift announced in chat, read defensively (meta is JSON from the server); null for anything else. */
export function giftEventOf(event: ChatEvent): GiftEvent | null {
  if (event.type !== "message" || event.kind !== "gift") return null;
  const meta = event.meta ?? {};
  const name = typeof meta.giftName === "string" && meta.giftName.trim() ? meta.giftName.trim().slice(0, 40) : "gift";
  const icon = typeof meta.icon === "string" && meta.icon ? meta.icon.slice(0, 16) : "🎁";
  const price = typeof meta.price === "number" && Number.isFinite(meta.price) ? meta.price : 0;
  const prefix = `sent a ${name}: `;
  const note = event.text.startsWith(prefix) ? event.text.slice(prefix.length).trim() || null : null;
  return { id: event.id, from: event.user.displayName || event.user.username, name, icon, price, note };
}
