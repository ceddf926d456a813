import { TRPCError } from "@trpc/server";
import type { Channel } from "../live/channels";
import type { Line } from "../chat/chat-batch";
import type { GiftRequest, GiftResult, GiftSend, GiftTransaction } from "./gift-batch";

export const restrictedWords = (restriction: { kind: string }) =>
  restriction.kind === "timeout"
    ? "You are timed out in this channel"
    : restriction.kind === "ban"
      ? "You are banned from this channel"
      : "This channel has blocked you";

export const notLive = (channel: { username?: string }) =>
  new TRPCError({ code: "PRECONDITION_FAILED", message: `${channel.username} is not live: gifts can be sent during a stream` });

/** The gift's line in the channel's chat (its transaction id is filled in once stored). */
export function giftLine(send: GiftSend): Line {
  const { item, message } = send;
  return {
    author: send.sender,
    kind: "gift",
    text: message ? `sent a ${item.name}: ${message}` : `sent a ${item.name}`,
    meta: { giftId: item.id, giftName: item.name, icon: item.icon, price: item.price, transactionId: null, message: message ?? null },
  };
}

/** The first result for a key; a key reused for a different gift or channel is a CONFLICT, not a gift. */
export function replayGift(earlier: GiftTransaction, channel: Channel, request: GiftRequest, balance: number): GiftResult {
  if (earlier.giftId !== request.giftId || earlier.streamId !== channel.id) {
    throw new TRPCError({
      code: "CONFLICT",
      message: "idempotencyKey: already used for a different gift; use a new key for a new gift",
    });
  }
  return { transaction: earlier, balance, replayed: true };
}
