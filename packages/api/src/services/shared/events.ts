import { setMaxListeners } from "node:events";
import { notify, type Database, type DatabaseHandle } from "@onair/db";
import { localChanges } from "./cache";
import { Inbox } from "../audience/inbox";
import { OrderGuard, type Order } from "./order-guard";
import { DirectFeeds, Handover, type DirectOptions, type Entry, type Reader } from "./direct";

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

/**
 * What `Fanout.subscribe` yields when the bus may have missed events: it was deaf for a while
 * (LISTEN connection lost, database restarted) and is listening again. Subscribers catch up from
 * the tables. It is a value in the stream, never an error. Any bus behind this seam (Redis Streams,
 * NATS…) keeps that contract.
 */
export const RESYNC = Symbol("resync");
export type Resync = typeof RESYNC;

/** Events one subscriber may have queued (its connection is that far behind); past it, one `RESYNC` instead. */
export const SUBSCRIBER_BUFFER = 256;

/**
 * One bus channel fanned out to this process's subscribers by key. Writers `notify` inside their
 * transaction (sent on commit); each server instance listens once, so every instance on the bus
 * (PostgreSQL LISTEN/NOTIFY, or Redis: @onair/db's Bus) sees every event. Events that say where they
 * sit in their key's sequence (`order`) go out in that order even if the bus swapped them (OrderGuard).
 */
export class Fanout<T> {
  /** Each key's subscribers (how to hand each of them a value). */
  private readonly byKey = new Map<string, Set<(value: T) => void>>();
  /** Every open subscription, whatever its keys: each gets one `RESYNC`. */
  private readonly inboxes = new Set<Inbox<unknown>>();
  /** Each open subscription's deliverers, by key (taken out of `byKey` while it is fed directly). */
  private readonly deliverersOf = new WeakMap<Inbox<unknown>, Map<string, (value: T) => void>>();
  /** Subscriptions fed directly (direct.ts), with their key. */
  private readonly attached = new Map<Inbox<unknown>, { key: string; reader: Reader<T> }>();
  private readonly direct: DirectFeeds<T>;
  private readonly resyncHooks = new Set<() => void>();
  private unlisten: (() => Promise<void>) | undefined;
  private listening = false;
  /** Aborted by `end()`: every subscription completes (the server is shutting down). */
  private readonly ending = new AbortController();
  /** How many times the bus came back after being deaf (tests and logs). */
  resyncs = 0;
  private readonly guard = new OrderGuard<T>(
    (key, value) => this.emit(key, value),
    () => this.resync(),
  );

  constructor(
    private readonly listen: DatabaseHandle["listen"],
    readonly channel: string,
    private readonly decode: (payload: string) => { key: string; value: T; order?: Order } | null,
    /** How its streams may be fed directly (direct.ts): sequenced (chat) or settled (status). */
    direct: DirectOptions<T> = {},
  ) {
    setMaxListeners(0, this.ending.signal); // one abort listener per open subscription
    this.direct = new DirectFeeds(direct);
  }

  async start(): Promise<void> {
    this.unlisten ??= await this.listen(
      this.channel,
      (payload) => {
        const event = this.decode(payload);
        if (!event) return;
        // One value for every subscriber: frozen, so none can change it for the others (and it is serialized once).
        const value = deepFreeze(event.value);
        if (event.order) this.guard.accept(event.key, event.order, value);
        else this.emit(event.key, value);
      },
      () => {
        if (this.listening) this.resync();
        this.listening = true;
      },
    );
  }

  private emit(key: string, value: T): void {
    for (const deliver of this.byKey.get(key) ?? []) deliver(value);
    this.direct.emit(key, value);
  }

  /**
   * Tells every subscriber that events may have been missed (the bus was deaf and listens again):
   * the `onResync` hooks run first (caches drop what may be stale), then each subscription gets
   * one `RESYNC` after what it has queued.
   */
  resync(): void {
    this.resyncs++;
    this.guard.reset();
    this.direct.reset();
    for (const hook of this.resyncHooks) hook();
    for (const inbox of this.inboxes) if (inbox.last() !== RESYNC) inbox.push(RESYNC);
  }

  /** Runs `hook` at each resync, before any subscriber hears of it; returns how to stop. */
  onResync(hook: () => void): () => void {
    this.resyncHooks.add(hook);
    return () => this.resyncHooks.delete(hook);
  }

  /** Resolves at the next `resync` (tests). */
  nextResync(): Promise<void> {
    return new Promise((resolve) => {
      const off = this.onResync(() => {
        off();
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = undefined;
    this.listening = false;
  }

  /** Completes every subscription, now and later (shutting down: streams end with tRPC's `return`). */
  end(): void {
    this.ending.abort();
  }

  /**
   * Yields each event for `key`, or `RESYNC` (catch up from the tables), until `signal` aborts,
   * `end()` is called or the reader returns. Listening starts at the call, before the first `next()`.
   */
  subscribe(key: string, signal: AbortSignal | undefined): Inbox<T | Resync> {
    return this.open([key], (_key, value) => value, signal);
  }

  /** `subscribe` for several keys at once, in one stream: each event says its key. */
  subscribeMany(keys: Iterable<string>, signal: AbortSignal | undefined): Inbox<{ key: string; value: T } | Resync> {
    return this.open(new Set(keys), (key, value) => ({ key, value }), signal);
  }

  private open<E>(keys: Iterable<string>, wrap: (key: string, value: T) => E, signal: AbortSignal | undefined): Inbox<E | Resync> {
    const signals = signal ? [signal, this.ending.signal] : [this.ending.signal];
    const deliverers = new Map<string, (value: T) => void>();
    const onAbort = () => inbox.close();
    const inbox = new Inbox<E | Resync>(
      () => {
        this.inboxes.delete(inbox);
        const fed = this.attached.get(inbox);
        if (fed) this.direct.drop(fed.key, fed.reader);
        this.attached.delete(inbox);
        for (const [key, deliver] of deliverers) {
          const subscribers = this.byKey.get(key);
          subscribers?.delete(deliver);
          if (subscribers?.size === 0) this.byKey.delete(key);
        }
        for (const each of signals) each.removeEventListener("abort", onAbort);
      },
      { limit: SUBSCRIBER_BUFFER, instead: RESYNC },
    );
    for (const key of keys) {
      const deliver = (value: T) => inbox.push(wrap(key, value));
      deliverers.set(key, deliver);
      this.subscribersOf(key).add(deliver);
    }
    this.inboxes.add(inbox);
    this.deliverersOf.set(inbox, deliverers);
    for (const each of signals) each.addEventListener("abort", onAbort, { once: true });
    if (signals.some((each) => each.aborted)) inbox.close();
    return inbox;
  }

  /**
   * What a stream reading `inbox` (`subscribe(key)`) yields once it has handled everything (a
   * sequenced stream: at `position`): its consumer may then write the key's events itself
   * (direct.ts). Refused while the inbox holds anything or the key has moved on. `shareable`: what
   * the reader may be written unjudged; `advanced`: what it was written last.
   */
  handover(
    inbox: Inbox<T | Resync>,
    key: string,
    position: number | undefined,
    advanced: (entry: Entry) => void,
    shareable: (value: T) => boolean,
  ): Handover {
    return new Handover((sink) => {
      const deliver = this.deliverersOf.get(inbox)?.get(key);
      if (!deliver || inbox.isClosed || inbox.size > 0 || this.attached.has(inbox)) return false;
      const reader: Reader<T> = {
        sink,
        shareable,
        advanced,
        release: (values, resync) => {
          this.attached.delete(inbox);
          this.subscribersOf(key).add(deliver);
          for (const value of values) inbox.push(value);
          if (resync) inbox.push(RESYNC);
        },
      };
      if (!this.direct.attach(key, reader, position)) return false;
      this.attached.set(inbox, { key, reader });
      this.byKey.get(key)?.delete(deliver);
      return true;
    });
  }

  private subscribersOf(key: string): Set<(value: T) => void> {
    let subscribers = this.byKey.get(key);
    if (!subscribers) this.byKey.set(key, (subscribers = new Set()));
    return subscribers;
  }

  listenerCount(key: string): number {
    return (this.byKey.get(key)?.size ?? 0) + this.direct.count(key);
  }
}

/** Every change to a channel page's public view; payload: the channel's username. */
export const STREAM_CHANNEL = "onair_stream";

/** `view`: a channel's public view (cached), written to status streams fed directly after each run of changes. */
export function createStreamEvents(listen: DatabaseHandle["listen"], view?: (username: string) => Promise<unknown>) {
  return new Fanout<void>(listen, STREAM_CHANNEL, (username) => ({ key: username, value: undefined }), { settle: view });
}
export type StreamEvents = ReturnType<typeof createStreamEvents>;

/** Tells every instance that `username`'s public view changed (sent on commit when inside a transaction). */
export async function publishStreamChange(db: Database, username: string): Promise<void> {
  await notify(db, STREAM_CHANNEL, username);
  localChanges.emit("stream", username);
}
