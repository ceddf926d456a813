import superjson from "superjson";
import { createOnAirClient } from "@onair/client";
import { until } from "./watch";

/**
 * What one open subscription received, read either as raw SSE (plain `fetch` of `text/event-stream`,
 * what a browser's EventSource or curl sees) or through `@trpc/client`'s `httpSubscriptionLink`.
 * `errors`: error frames (raw), or errors `@trpc/client` reported, including the ones it retries
 * silently (a connection state carrying an error).
 */
export interface Tap {
  label: string;
  events: { id?: string; data: unknown }[];
  errors: unknown[];
  /** The stream ended (raw: the server closed it). */
  ended: () => boolean;
  stop: () => void;
}

type Procedure = "chat.onMessage" | "stream.onStatus" | "stream.onActivity" | "stream.onLiveChange";
type Client = ReturnType<typeof createOnAirClient>;
type Handlers = {
  onData: (value: unknown) => void;
  onError: (error: unknown) => void;
  onConnectionStateChange: (state: { error: unknown }) => void;
  onComplete: () => void;
};

const subscribers: Record<Procedure, (client: Client, input: never, handlers: Handlers) => { unsubscribe: () => void }> = {
  "chat.onMessage": (client, input: { username: string; lastEventId?: string }, handlers) =>
    client.chat.onMessage.subscribe(input, handlers),
  "stream.onStatus": (client, input: { username: string }, handlers) => client.stream.onStatus.subscribe(input, handlers),
  "stream.onActivity": (client, _input: undefined, handlers) => client.stream.onActivity.subscribe(undefined, handlers),
  "stream.onLiveChange": (client, input: { usernames: string[] }, handlers) => client.stream.onLiveChange.subscribe(input, handlers),
};

/** `procedure` through `@trpc/client` (which resumes a tracked stream with its last id by itself). */
export function trpcTap(url: string, procedure: Procedure, input: unknown, token?: string): Tap {
  const tap = { label: `${procedure} via @trpc/client on ${url}`, events: [] as Tap["events"], errors: [] as unknown[] };
  let ended = false;
  const subscription = subscribers[procedure](createOnAirClient({ url, token }), input as never, {
    // Chat is tracked: `@trpc/client` hands over `{ id, data }`.
    onData: (value) => tap.events.push(procedure === "chat.onMessage" ? (value as Tap["events"][number]) : { data: value }),
    onError: (error) => tap.errors.push(error),
    onConnectionStateChange: (state) => void (state.error && tap.errors.push(state.error)),
    onComplete: () => (ended = true),
  });
  return { ...tap, ended: () => ended, stop: () => subscription.unsubscribe() };
}

/** `procedure` as raw SSE: one GET, read frame by frame until the server ends it or `stop()`. */
export function sseTap(url: string, procedure: Procedure, input: unknown, token?: string): Tap {
  const tap = { label: `${procedure} as raw SSE on ${url}`, events: [] as Tap["events"], errors: [] as unknown[] };
  let ended = false;
  const controller = new AbortController();
  const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;
  const frame = (text: string) => {
    const fields = new Map<string, string>();
    for (const line of text.split("\n")) {
      const at = line.indexOf(":");
      if (at > 0) fields.set(line.slice(0, at), line.slice(at + 1).trimStart());
    }
    const event = fields.get("event") ?? "message";
    if (event === "serialized-error") tap.errors.push(fields.get("data"));
    if (event === "message" && fields.has("data")) {
      const data = superjson.deserialize(JSON.parse(fields.get("data")!) as never);
      tap.events.push(fields.has("id") ? { id: fields.get("id"), data } : { data });
    }
  };
  void (async () => {
    const headers: Record<string, string> = { accept: "text/event-stream", ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const response = await fetch(`${url}/trpc/${procedure}${query}`, { headers, signal: controller.signal });
    if (response.status !== 200) throw new Error(`${procedure}: HTTP ${response.status}`);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += value;
      for (let cut = buffer.indexOf("\n\n"); cut >= 0; cut = buffer.indexOf("\n\n")) {
        frame(buffer.slice(0, cut));
        buffer = buffer.slice(cut + 2);
      }
    }
  })()
    .catch((error: unknown) => void (controller.signal.aborted || tap.errors.push(error)))
    .finally(() => (ended = true));
  return { ...tap, ended: () => ended, stop: () => controller.abort() };
}

/** The same subscription both ways: raw SSE and `@trpc/client`. */
export const tapBoth = (url: string, procedure: Procedure, input: unknown, token?: string): Tap[] => [
  sseTap(url, procedure, input, token),
  trpcTap(url, procedure, input, token),
];

/** Waits until `predicate` holds for every tap, naming the first that lags. */
export async function untilEach(taps: Tap[], predicate: (tap: Tap) => boolean, timeoutMs = 30_000): Promise<void> {
  await until(
    () => taps.every(predicate),
    timeoutMs,
    () => {
      const lagging = taps.find((tap) => !predicate(tap));
      return lagging ? `for ${lagging.label}: ${JSON.stringify(lagging.events)}; errors ${String(lagging.errors)}` : "";
    },
  );
}
