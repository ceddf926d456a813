import { TRPCClientError } from "@trpc/client";
import { useCallback, useRef } from "react";
import type { RouterOutputs } from "@onair/api";
import { errorCode, errorMessage } from "../../lib/errors";
import { trpc } from "../../lib/trpc";

export type SendResult = RouterOutputs["gift"]["send"];

/** No answer from the server (offline, dropped connection): the gift may or may not have gone through. */
export function isNetworkError(error: unknown) {
  return error instanceof TRPCClientError && !error.data;
}

function newKey() {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export interface GiftProblem {
  message: string;
  /** The session is gone: offer a sign-in link. */
  signIn?: boolean;
  /** Retrying the same action is safe and may work (it reuses the same idempotency key). */
  retry?: boolean;
}

/** What went wrong, in words that say what to do next. */
export function describeGiftError(error: unknown, username: string): GiftProblem {
  switch (errorCode(error)) {
    case "UNAUTHORIZED":
      return { message: "Your session has ended. Sign in again to send gifts.", signIn: true };
    case "PAYMENT_REQUIRED":
      return { message: `${errorMessage(error)}. Pick a cheaper gift — buying coins isn't available yet.` };
    case "PRECONDITION_FAILED":
      return { message: `${username} isn't live right now. Gifts can be sent while they're streaming.` };
    case "CONFLICT":
      return { message: "That gift was already sent. Press Send again to send another one." };
    case "BAD_REQUEST": {
      const text = errorMessage(error);
      if (text.startsWith("username:")) return { message: "You can't send a gift to your own channel." };
      if (text.startsWith("giftId:")) return { message: "That gift isn't available any more. Pick another one." };
      if (text.startsWith("message:")) return { message: "Your message is too long: keep it to 200 characters." };
      return { message: text };
    }
    case "TOO_MANY_REQUESTS":
      return { message: "You're sending gifts very fast. Wait a moment, then try again.", retry: true };
  }
  if (isNetworkError(error)) {
    return { message: "We couldn't reach OnAir. Check your connection and try again — you won't be charged twice.", retry: true };
  }
  return { message: errorMessage(error), retry: true };
}

/**
 * `gift.send` with exactly-once semantics from the viewer's side: one idempotency key per action
 * (picking a gift and pressing Send). The key is kept while the outcome is unknown (no answer from
 * the server), so the automatic retries and a manual "Try again" can never charge twice; a definite
 * answer (success or a refusal) ends the action and the next Send gets a fresh key.
 */
export function useSendGift(username: string) {
  const utils = trpc.useUtils();
  const action = useRef<{ giftId: string; key: string } | null>(null);
  const mutation = trpc.gift.send.useMutation({
    retry: (failures, error) => isNetworkError(error) && failures < 2,
    retryDelay: (failures) => 600 * 2 ** failures,
    onSuccess: (result) => {
      action.current = null;
      utils.wallet.balance.setData(undefined, (wallet) => ({ earnings: wallet?.earnings ?? 0, balance: result.balance }));
      void utils.wallet.balance.invalidate();
      void utils.gift.sent.invalidate();
    },
    onError: (error) => {
      if (errorCode(error) === "CONFLICT" || !isNetworkError(error)) action.current = null;
      if (errorCode(error) === "PAYMENT_REQUIRED") void utils.wallet.balance.invalidate();
      if (errorCode(error) === "BAD_REQUEST") void utils.gift.catalog.invalidate();
    },
  });
  const { mutate, reset } = mutation;

  const send = useCallback(
    (giftId: string, message: string, onSent: (result: SendResult) => void) => {
      if (action.current?.giftId !== giftId) action.current = { giftId, key: newKey() };
      const text = message.trim();
      mutate({ username, giftId, idempotencyKey: action.current.key, ...(text ? { message: text } : {}) }, { onSuccess: onSent });
    },
    [mutate, username],
  );

  return { send, reset, isPending: mutation.isPending, error: mutation.error };
}
