import { useEffect, useRef } from "react";
import { trpc } from "./trpc";

export type Client = ReturnType<typeof trpc.useUtils>["client"];
type Listener<T> = (value: T) => void;
type Unsubscribe = () => void;
/** Opens the server stream for `key` (as its first listener spelled it); calls `onComplete` when the server ends it. */
type Open<T> = (client: Client, key: string, handlers: { onData: Listener<T>; onComplete: () => void }) => Unsubscribe;

interface Entry<T> {
  listeners: Set<Listener<T>>;
  /** Streams of the same events opened elsewhere on the page (see `feed`). */
  feeds: number;
  last: T | undefined;
  stop: Unsubscribe | null;
  key: string;
  client: Client | null;
}

/**
 * One SSE subscription per key (a channel's name, any case) for the whole page, shared by every
 * component that wants it. Browsers allow only six HTTP/1.1 connections per host and each SSE stream
 * holds one for good: the channel page, its player, chat, gift overlay and the Go Live page must not
 * each open their own. The subscription opens with the first listener, closes with the last, and
 * opens again when the server ends it (shutting down: another instance answers).
 */
export class SharedSubscriptions<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly open: Open<T>,
    /** Give a new listener the latest value at once (a state, like a channel's status; not for events). */
    private readonly replayLast = false,
  ) {}

  listen(client: Client, key: string, listener: Listener<T>): Unsubscribe {
    const entry = this.entry(key);
    entry.client ??= client;
    entry.listeners.add(listener);
    if (this.replayLast && entry.last !== undefined) listener(entry.last);
    this.reconcile(entry);
    return () => {
      entry.listeners.delete(listener);
      this.reconcile(entry);
    };
  }

  /**
   * For a component that already streams `key` itself (the chat panel, which resumes from its
   * history): it hands its values on with `emit`, and no subscription of our own is open meanwhile.
   */
  feed(key: string): { emit: Listener<T>; release: () => void } {
    const entry = this.entry(key);
    entry.feeds += 1;
    this.reconcile(entry);
    let released = false;
    return {
      emit: (value) => this.emit(entry, value),
      release: () => {
        if (released) return;
        released = true;
        entry.feeds -= 1;
        this.reconcile(entry);
      },
    };
  }

  private entry(key: string): Entry<T> {
    const id = key.toLowerCase();
    let entry = this.entries.get(id);
    if (!entry) {
      entry = { listeners: new Set(), feeds: 0, last: undefined, stop: null, key, client: null };
      this.entries.set(id, entry);
    }
    return entry;
  }

  private emit(entry: Entry<T>, value: T) {
    entry.last = value;
    for (const listener of entry.listeners) listener(value);
  }

  private reconcile(entry: Entry<T>) {
    const needOwn = entry.listeners.size > 0 && entry.feeds === 0 && entry.client !== null;
    if (needOwn && !entry.stop) {
      entry.stop = this.open(entry.client!, entry.key, {
        onData: (value) => this.emit(entry, value),
        onComplete: () => {
          entry.stop = null;
          this.reconcile(entry);
        },
      });
    } else if (!needOwn && entry.stop) {
      entry.stop();
      entry.stop = null;
    }
    if (entry.listeners.size === 0 && entry.feeds === 0 && this.entries.get(entry.key.toLowerCase()) === entry) {
      this.entries.delete(entry.key.toLowerCase());
    }
  }
}

/** Calls `onData` for every value of `registry`'s stream for `key` while mounted (and `enabled`). */
export function useSharedSubscription<T>(registry: SharedSubscriptions<T>, key: string, onData: Listener<T>, enabled = true) {
  const client = trpc.useUtils().client;
  const handler = useRef(onData);
  useEffect(() => {
    handler.current = onData;
  });
  useEffect(() => {
    if (!enabled || !key) return;
    return registry.listen(client, key, (value) => handler.current(value));
  }, [registry, client, key, enabled]);
}
