import { until } from "@onair/db/testing";
import { createOnAirClient, type RouterOutputs } from "@onair/client";

export { until };

type ChatEvent = { type: string; id?: number; text?: string };
type View = RouterOutputs["stream"]["byUsername"];

/** A real `@trpc/client` subscriber to `chat.onMessage`, recording what it receives. */
export function watchChat(url: string, username: string, lastEventId?: string) {
  const events: { id: string; data: ChatEvent }[] = [];
  const errors: unknown[] = [];
  let started!: () => void;
  const startedPromise = new Promise<void>((resolve) => (started = resolve));
  const subscription = createOnAirClient({ url }).chat.onMessage.subscribe(
    { username, lastEventId },
    {
      onStarted: () => started(),
      onData: (event) => events.push(event),
      onError: (error) => errors.push(error),
    },
  );
  const messageIds = () => events.filter((e) => e.data.type === "message").map((e) => e.data.id!);
  return {
    events,
    errors,
    started: startedPromise,
    messageIds,
    until: (predicate: () => boolean, timeoutMs?: number) =>
      until(predicate, timeoutMs, () => `; received ${JSON.stringify(messageIds())}, errors ${String(errors)}`),
    stop: () => subscription.unsubscribe(),
  };
}

/** A real `@trpc/client` subscriber to `stream.onStatus`. */
export function watchStatus(url: string, username: string) {
  const views: View[] = [];
  const subscription = createOnAirClient({ url }).stream.onStatus.subscribe({ username }, { onData: (view) => views.push(view) });
  return {
    views,
    until: (predicate: () => boolean, timeoutMs?: number) =>
      until(predicate, timeoutMs, () => `; views ${JSON.stringify(views.map((v) => [v.title, v.isLive]))}`),
    stop: () => subscription.unsubscribe(),
  };
}
