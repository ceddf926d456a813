import { TRPCClientError, type Operation, type OperationResultEnvelope, type TRPCLink } from "@trpc/client";
import type { AnyTRPCRouter } from "@trpc/server";
import { observable, type Observer, type Unsubscribable } from "@trpc/server/observable";

type Envelope = OperationResultEnvelope<unknown, TRPCClientError<AnyTRPCRouter>>;
type Transport = (op: Operation) => {
  subscribe: (observer: Partial<Observer<Envelope, TRPCClientError<AnyTRPCRouter>>>) => Unsubscribable;
};

/** What `mux.onMany` streams (packages/api/src/services/shared/multiplex.ts). */
type Event =
  | { key: string; kind: "data"; id?: string; data: unknown }
  | { key: string; kind: "error"; error: unknown }
  | { key: string; kind: "done" };

/** The server's cap on one stream (MAX_MULTIPLEXED); past it a subscription gets its own stream. */
const MAX_PER_STREAM = 20;
/**
 * After a new stream (carrying a new subscription) has started, the old one still delivers this
 * long before it closes: the new one's subscriptions are listening by then, so nothing falls
 * between them. An event both deliver meanwhile reaches the component once.
 */
export const HANDOVER_MS = 1_000;

interface Stream {
  close(): void;
}

interface Sub {
  key: string;
  op: Operation;
  observer: Observer<Envelope, TRPCClientError<AnyTRPCRouter>>;
  /** The newest stream carrying it (its connection state is the one reported). */
  source: Stream | null;
  /**
   * The streams carrying it now (two during a handover), each with the events it delivered that
   * the other has not (yet): an event arriving from one that the other already delivered is dropped.
   */
  streams: Map<Stream, Map<string, number>>;
  /** The newest tracked id delivered: where a new stream resumes it. */
  cursor: string | undefined;
  /** Listening without a break since it was last told `started`. */
  started: boolean;
}

/** The later of two tracked ids (numeric ids compare as numbers; otherwise the newer one). */
function later(id: string, cursor: string | undefined): string {
  if (cursor !== undefined && /^\d+$/.test(id) && /^\d+$/.test(cursor) && BigInt(cursor) > BigInt(id)) return cursor;
  return id;
}

/**
 * Every subscription of the page on one SSE stream (`mux.onMany`): a browser gives a host only six
 * HTTP/1.1 connections and each SSE stream holds one, so a studio and a channel page side by side
 * would otherwise starve every other request. Components subscribe as usual; a subscription joining
 * opens a new stream with all of them (tracked ones resumed from their last id) and the old one
 * closes once the new one is under way. One that leaves is dropped from the next stream.
 */
class Multiplexer {
  private readonly subs = new Map<string, Sub>();
  private pending: ReturnType<typeof setTimeout> | null = null;
  private current: Stream | null = null;
  /** The old stream still delivering after the current one opened (at most two at once). */
  private retiring: Stream | null = null;

  constructor(
    private readonly transport: Transport,
    private readonly path: string,
  ) {}

  get full() {
    return this.subs.size >= MAX_PER_STREAM;
  }

  add(op: Operation, observer: Observer<Envelope, TRPCClientError<AnyTRPCRouter>>) {
    const key = String(op.id);
    this.subs.set(key, { key, op, observer, source: null, streams: new Map(), cursor: undefined, started: false });
    this.pending ??= setTimeout(() => this.reopen(), 0);
    return () => {
      this.subs.delete(key);
      if (this.subs.size > 0) return;
      if (this.pending) clearTimeout(this.pending);
      this.pending = null;
      this.retiring?.close();
      this.current?.close();
      this.current = null;
    };
  }

  private reopen() {
    this.pending = null;
    // One handover at a time: whoever joins meanwhile goes in the stream after it.
    if (this.retiring) return;
    const carried = [...this.subs.values()];
    if (carried.length === 0) return;
    const previous = this.current;
    this.retiring = previous;
    let retire: ReturnType<typeof setTimeout> | null = null;
    const stream: Stream = {
      close: () => {
        if (retire) clearTimeout(retire);
        for (const sub of this.subs.values()) sub.streams.delete(stream);
        subscription.unsubscribe();
        if (this.retiring === stream) this.handedOver();
      },
    };
    for (const sub of carried) {
      sub.source = stream;
      sub.streams.set(stream, new Map());
    }
    const mine = (sub: Sub) => this.subs.get(sub.key) === sub && sub.source === stream;
    const input = {
      subscriptions: carried.map((sub) => ({
        key: sub.key,
        path: sub.op.path,
        input: sub.cursor === undefined ? sub.op.input : { ...(sub.op.input as object | undefined), lastEventId: sub.cursor },
      })),
    };
    const op: Operation = { id: -1, type: "subscription", path: this.path, input, context: {}, signal: null };
    const subscription = this.transport(op).subscribe({
      next: ({ result, context }) => {
        if ("type" in result && result.type === "started") {
          // Started once per unbroken run: a handover keeps it listening, so it is not told again
          // (a component that reloads its snapshot on `started` reloads only after a real gap).
          for (const sub of carried.filter(mine)) {
            if (sub.started) continue;
            sub.started = true;
            sub.observer.next({ result, context });
          }
          // The old stream goes once this one's subscriptions are surely listening.
          if (previous && !retire) retire = setTimeout(() => previous.close(), HANDOVER_MS);
          return;
        }
        if ("type" in result && result.type === "state") {
          for (const sub of carried.filter(mine)) {
            if (result.state === "connecting" && !result.error && sub.started) continue; // a handover, not an outage
            if (result.state === "connecting") sub.started = false; // an outage: the next start is news
            sub.observer.next({ result, context });
          }
          return;
        }
        const tracked = (result as { id?: unknown }).id !== undefined;
        this.deliver(stream, (tracked ? (result.data as { data: Event }).data : result.data) as Event);
      },
      error: (error) => this.finish(stream, carried.filter(mine), previous, (sub) => sub.observer.error(error)),
      complete: () => this.finish(stream, carried.filter(mine), previous, (sub) => sub.observer.complete()),
    });
    this.current = stream;
  }

  /** The old stream is gone: subscriptions that joined during the handover get the next stream. */
  private handedOver() {
    this.retiring = null;
    if ([...this.subs.values()].some((sub) => sub.streams.size === 0)) this.pending ??= setTimeout(() => this.reopen(), 0);
  }

  /** The stream ended (or failed for good): so do the subscriptions it was the newest for. */
  private finish(stream: Stream, ended: Sub[], previous: Stream | null, end: (sub: Sub) => void) {
    previous?.close();
    if (this.current === stream) this.current = null;
    for (const sub of this.subs.values()) sub.streams.delete(stream);
    if (this.retiring === stream) this.handedOver();
    for (const sub of ended) {
      this.subs.delete(sub.key);
      end(sub);
    }
  }

  private deliver(from: Stream, event: Event) {
    const sub = this.subs.get(event.key);
    if (!sub || !sub.streams.has(from) || this.duplicate(sub, from, event)) return;
    if (event.kind === "data") {
      if (event.id === undefined) return sub.observer.next({ result: { data: event.data } });
      sub.cursor = later(event.id, sub.cursor);
      return sub.observer.next({ result: { id: event.id, data: { id: event.id, data: event.data } } });
    }
    this.subs.delete(sub.key);
    if (event.kind === "done") sub.observer.complete();
    else sub.observer.error(TRPCClientError.from({ error: event.error } as Parameters<typeof TRPCClientError.from>[0]));
  }

  /** During a handover: whether the other stream already delivered this very event (then it is dropped here). */
  private duplicate(sub: Sub, from: Stream, event: Event): boolean {
    if (sub.streams.size < 2) return false;
    const signature = JSON.stringify(event);
    for (const [stream, unmatched] of sub.streams) {
      const count = stream === from ? 0 : (unmatched.get(signature) ?? 0);
      if (count > 0) {
        if (count === 1) unmatched.delete(signature);
        else unmatched.set(signature, count - 1);
        return true;
      }
    }
    const mine = sub.streams.get(from)!;
    mine.set(signature, (mine.get(signature) ?? 0) + 1);
    return false;
  }
}

/**
 * A terminating link for subscriptions: each one rides on the page's multiplexed stream, sent
 * through `transport` (an `httpSubscriptionLink`) as `path` (`mux.onMany`).
 */
export function multiplexLink<TRouter extends AnyTRPCRouter>(opts: { transport: TRPCLink<TRouter>; path?: string }): TRPCLink<TRouter> {
  return (runtime) => {
    const transportLink = opts.transport(runtime);
    const transport: Transport = (op) =>
      transportLink({
        op,
        next: () => {
          throw new Error("the transport link is terminating");
        },
      });
    const multiplexer = new Multiplexer(transport, opts.path ?? "mux.onMany");
    return ({ op }) => {
      if (op.type !== "subscription") throw new Error("multiplexLink only carries subscriptions");
      // Past the server's cap, this one gets a stream of its own.
      if (multiplexer.full) return transport(op) as never;
      return observable<Envelope, TRPCClientError<TRouter>>((observer) => multiplexer.add(op, observer)) as never;
    };
  };
}
