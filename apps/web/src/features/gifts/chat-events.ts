import type { ChatEvent } from "@onair/api";
import { SharedSubscriptions, useSharedSubscription } from "../../lib/shared-subscription";

/**
 * `chat.onMessage`, one per channel for the gift overlay, the running total and the player; it rides
 * on the chat panel's own stream when the panel shares it (`shareChatFeed`). No lastEventId: only
 * what happens from now on (no replay of older gifts).
 */
const chatEvents = new SharedSubscriptions<ChatEvent>((client, username, { onData, onComplete }) => {
  const subscription = client.chat.onMessage.subscribe({ username }, { onData: ({ data }) => onData(data), onComplete });
  return () => subscription.unsubscribe();
});

/**
 * For a chat feed that already streams `username`: hands its events on, so the components here open
 * no stream of their own. Call `share.emit(event)` for each event and `share.release()` when done.
 */
export const shareChatFeed = (username: string) => chatEvents.feed(username);

/** Calls `onEvent` for every new chat event of the channel while mounted. */
export function useChatEvents(username: string, onEvent: (event: ChatEvent) => void) {
  useSharedSubscription(chatEvents, username, onEvent);
}
