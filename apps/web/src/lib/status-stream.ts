import type { PublicStream } from "@onair/api";
import { SharedSubscriptions, useSharedSubscription } from "./shared-subscription";

/** `stream.onStatus`, one per channel for the whole page; a new listener gets the latest view at once. */
const statuses = new SharedSubscriptions<PublicStream>((client, username, { onData, onComplete }) => {
  const subscription = client.stream.onStatus.subscribe({ username }, { onData, onComplete });
  return () => subscription.unsubscribe();
}, true);

/** Calls `onData` with the channel's public view now (if known) and on every change, while mounted. */
export function useStreamStatus(username: string, onData: (view: PublicStream) => void, enabled = true) {
  useSharedSubscription(statuses, username, onData, enabled);
}
