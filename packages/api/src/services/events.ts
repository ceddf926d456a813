import { EventEmitter, on } from "node:events";
import { notify, type Database, type DatabaseHandle } from "@onair/db";
import { localChanges } from "./cache";

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
 * the tables. Any bus behind this seam (Redis Streams, NATS…) keeps that contract.
 */
export const RESYNC = Symbol("resync");
export type Resync = typeof RESYNC;

/**
 * One PostgreSQL channel fanned out to this process's subscribers by key. Writers NOTIFY inside
 * their transaction; each server instance LISTENs once, so every instance sharing the PostgreSQL
 * server sees every event, in commit order.
 */
export class Fanout<T> {
  private readonly emitter = new EventEmitter();
  private unlisten: (() => Promise<void>) | undefined;
  private listening = false;
  /** Aborted by `end()`: every subscription completes (the server is shutting down). */
  private readonly ending = new AbortController();
  /** How many times the bus came back after being deaf (tests and logs). */
  resyncs = 0;

  constructor(
    private readonly listen: DatabaseHandle["listen"],
    readonly channel: string,
    private readonly decode: (payload: string) => { key: string; value: T } | null,
  ) {
    this.emitter.setMaxListeners(0);
  }

  async start(): Promise<void> {
    this.unlisten ??= await this.listen(
      this.channel,
      (payload) => {
        const event = this.decode(payload);
        // One value for every subscriber: frozen, so none can change it for the others (and it is serialized once).
        if (event) this.emitter.emit(event.key, deepFreeze(event.value));
      },
      () => {
        if (this.listening) this.resync();
        this.listening = true;
      },
    );
  }

  /** Tells every subscriber that events may have been missed (the bus was deaf and listens again). */
  resync(): void {
    this.resyncs++;
    for (const key of this.emitter.eventNames()) if (key !== RESYNC) this.emitter.emit(key, RESYNC);
    this.emitter.emit(RESYNC);
  }

  /** Resolves at the next `resync` (tests). */
  nextResync(): Promise<void> {
    return new Promise((resolve) => this.emitter.once(RESYNC, () => resolve()));
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
   * Yields each event for `key` (or `RESYNC`: catch up from the tables) until `signal` aborts or
   * `end()` is called. Listening starts at the call, before the first `next()`.
   */
  subscribe(key: string, signal: AbortSignal | undefined): AsyncGenerator<T | Resync> {
    const events = on(this.emitter, key, { signal: signal ? AbortSignal.any([signal, this.ending.signal]) : this.ending.signal });
    return (async function* () {
      try {
        for await (const [value] of events) yield value as T | Resync;
      } catch (error) {
        if ((error as Error).name !== "AbortError") throw error;
      }
    })();
  }

  listenerCount(key: string): number {
    return this.emitter.listenerCount(key);
  }
}

/** Every change to a channel page's public view; payload: the channel's username. */
export const STREAM_CHANNEL = "onair_stream";

export function createStreamEvents(listen: DatabaseHandle["listen"]) {
  return new Fanout<void>(listen, STREAM_CHANNEL, (username) => ({ key: username, value: undefined }));
}
export type StreamEvents = ReturnType<typeof createStreamEvents>;

/** Tells every instance that `username`'s public view changed (sent on commit when inside a transaction). */
export async function publishStreamChange(db: Database, username: string): Promise<void> {
  await notify(db, STREAM_CHANNEL, username);
  localChanges.emit("stream", username);
}
