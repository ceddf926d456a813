/**
 * Direct delivery: a live stream that has handled everything and is in step with its channel hands
 * its delivery over to its consumer (the fast lane's SSE response). From then on the channel's
 * events are gathered into runs, each run formatted once for every reader and written to each of
 * them in one write: no generator step, promise or serialization per subscriber. A reader goes back
 * to its stream (its inbox, with what it has not been written) when a run holds something it must
 * judge itself, when its connection is too far behind (then with `RESYNC`: it catches up from the
 * tables), or when the bus was deaf. The stream takes over again at its next handover.
 *
 * Two kinds of stream: sequenced (chat: each event is written, with the id of the newest message as
 * its SSE id; a reader attaches at the channel's newest message) and settled (status: a run of
 * changes is one view, read once for everyone after the run, runs written in order).
 */
import { channel } from "node:diagnostics_channel";

/**
 * Each run written, for whoever listens (the bench; free otherwise): how many readers, how long its
 * first event waited to be written (`waitedMs`: the gathering tick, and a settled run's read) and how
 * long writing it to every reader took (`writeMs`).
 */
export const directRuns = channel("onair:direct-runs");
export interface DirectRunStats {
  readers: number;
  waitedMs: number;
  writeMs: number;
}

/** One event as a direct reader gets it: the value, and (sequenced streams) the position after it: its SSE id. */
export interface Entry<T = unknown> {
  readonly value: T;
  readonly position?: number | undefined;
}

/** Where a direct reader's frames go. */
export interface DirectSink {
  /** The frames of `entries`, as one chunk. The same function for every reader of a channel: a run is formatted once. */
  format: (entries: readonly Entry[]) => Uint8Array | string;
  /** Writes `chunk`, or says false (nothing written) when the reader is too far behind. */
  write: (chunk: Uint8Array | string) => boolean;
}

/** Yielded by a stream that may be fed directly: `attach` says whether its consumer now writes its events itself. */
export class Handover {
  constructor(readonly attach: (sink: DirectSink) => boolean) {}
}

/** A direct reader: where it writes, what it may be given unjudged, and how it goes back to its stream. */
export interface Reader<T> {
  sink: DirectSink;
  /** Whether every subscriber gets `value` alike (otherwise the stream judges it: the reader goes back). */
  shareable: (value: T) => boolean;
  /** It was written up to `entry` (the stream carries on from there when it takes over again). */
  advanced: (entry: Entry) => void;
  /** Back to its stream, with `values` first, then (`resync`) a catch-up from the tables. */
  release: (values: T[], resync: boolean) => void;
}

export interface DirectOptions<T> {
  /** Sequenced streams: where an event puts its key's stream (chat: a message's id); others leave it. */
  positionOf?: (value: T) => number | undefined;
  /** Settled streams: what every reader is written after a run of changes to `key` (null: nothing). */
  settle?: (key: string) => Promise<unknown>;
}

/**
 * A channel with at least `DIRECT_CROWD` direct readers gathers its events before writing: one write
 * per reader per tick, the tick 1 ms per 100 readers, at most 100 ms (10,000 readers at 50 messages/s:
 * 100,000 writes a second instead of 500,000). Each write costs the kernel about as much as the
 * bytes in it cost everything else. Fewer readers are written in the same turn of the event loop.
 */
export const DIRECT_CROWD = 1000;
export const directTickMs = (readers: number) => Math.min(100, Math.floor(readers / 100));

interface Run<T> {
  entries: Entry<T>[];
  /** When its first event was heard (performance.now()). */
  heard: number;
  format?: DirectSink["format"];
  chunk?: Uint8Array | string;
}

/** A reader to write a run to, and how much of the run it had already (it attached mid-run). */
type Batch<T> = { reader: Reader<T>; from: number }[];

/** The direct readers of one Fanout, by key, and the runs waiting to be written to them. */
export class DirectFeeds<T> {
  private readonly readers = new Map<string, Map<Reader<T>, { from: number }>>();
  private readonly runs = new Map<string, Run<T>>();
  /** Sequenced: per key, the position after the last event emitted (known from the first sequenced event on). */
  private readonly heads = new Map<string, number>();
  /** Settled: per key, the run being read and written (the next waits for it). */
  private readonly settling = new Map<string, Promise<void>>();

  constructor(private readonly options: DirectOptions<T>) {}

  count(key: string): number {
    return this.readers.get(key)?.size ?? 0;
  }

  /** Every event emitted for `key`, after the inboxes had it. */
  emit(key: string, value: T): void {
    const sequenced = this.options.positionOf?.(value);
    if (sequenced !== undefined) this.heads.set(key, sequenced);
    const readers = this.readers.get(key);
    if (!readers?.size) return;
    const position = this.heads.get(key);
    if (this.options.positionOf && position === undefined) return this.releaseAll(key, [value]); // never: readers attach at a known head
    let run = this.runs.get(key);
    if (!run) {
      this.runs.set(key, (run = { entries: [], heard: performance.now() }));
      if (readers.size >= DIRECT_CROWD) setTimeout(() => this.flush(key), directTickMs(readers.size));
      else setImmediate(() => this.flush(key));
    }
    run.entries.push({ value, position });
  }

  /** Takes `reader` on; a sequenced stream's only if it is at `position` and that is where the key is now. */
  attach(key: string, reader: Reader<T>, position: number | undefined): boolean {
    if (this.options.positionOf && this.heads.get(key) !== position) return false;
    let readers = this.readers.get(key);
    if (!readers) this.readers.set(key, (readers = new Map<Reader<T>, { from: number }>()));
    // It already had (through its inbox) what the pending run holds.
    readers.set(reader, { from: this.runs.get(key)?.entries.length ?? 0 });
    return true;
  }

  /** The reader is gone (its stream closed): nothing more is written to it. */
  drop(key: string, reader: Reader<T>): void {
    const readers = this.readers.get(key);
    readers?.delete(reader);
    if (readers?.size === 0) this.readers.delete(key);
  }

  /** The bus was deaf: every reader goes back to its stream with what it was not written yet; positions are unknown. */
  reset(): void {
    for (const key of [...this.readers.keys()]) this.releaseAll(key, []);
    this.runs.clear();
    this.heads.clear();
  }

  private releaseAll(key: string, more: T[]): void {
    const run = this.runs.get(key);
    this.runs.delete(key);
    for (const [reader, { from }] of this.readers.get(key) ?? []) {
      const pending = run ? run.entries.slice(from).map((entry) => entry.value) : [];
      this.release(key, reader, [...pending, ...more], false);
    }
  }

  private release(key: string, reader: Reader<T>, values: T[], resync: boolean): void {
    this.drop(key, reader);
    reader.release(values, resync);
  }

  private isAttached(key: string, reader: Reader<T>): boolean {
    return this.readers.get(key)?.has(reader) ?? false;
  }

  private flush(key: string): void {
    const run = this.runs.get(key);
    const readers = this.readers.get(key);
    this.runs.delete(key);
    if (!run || !readers) return;
    const batch: Batch<T> = [];
    for (const [reader, state] of readers) {
      if (state.from < run.entries.length) batch.push({ reader, from: state.from });
      state.from = 0;
    }
    const settle = this.options.settle;
    if (!settle) return this.write(key, run, batch, true);
    // One read for the whole run, once the run before it was written: views never go back.
    const settled = (this.settling.get(key) ?? Promise.resolve())
      .then(() => settle(key))
      .then(
        (value) => {
          if (value === null || value === undefined) return;
          run.entries = [{ value: value as T }];
          this.write(
            key,
            run,
            batch.map(({ reader }) => ({ reader, from: 0 })),
            false,
          );
        },
        () => {
          for (const { reader } of batch) if (this.isAttached(key, reader)) this.release(key, reader, [], true);
        },
      )
      .finally(() => {
        if (this.settling.get(key) === settled) this.settling.delete(key);
      });
    this.settling.set(key, settled);
  }

  /** Writes the run to each reader still attached: the same chunk to all that had none of it. */
  private write(key: string, run: Run<T>, batch: Batch<T>, judged: boolean): void {
    const started = performance.now();
    for (const { reader, from } of batch) {
      if (!this.isAttached(key, reader)) continue; // gone back meanwhile (a settled run was being read)
      const entries = from === 0 ? run.entries : run.entries.slice(from);
      if (judged && !entries.every((entry) => reader.shareable(entry.value))) {
        this.release(
          key,
          reader,
          entries.map((entry) => entry.value),
          false,
        );
        continue;
      }
      if (from === 0 && run.format !== reader.sink.format) {
        run.format = reader.sink.format;
        run.chunk = run.format(entries);
      }
      if (!reader.sink.write(from === 0 ? run.chunk! : reader.sink.format(entries))) this.release(key, reader, [], true);
      else reader.advanced(entries.at(-1)!);
    }
    if (directRuns.hasSubscribers)
      directRuns.publish({
        readers: batch.length,
        waitedMs: started - run.heard,
        writeMs: performance.now() - started,
      } satisfies DirectRunStats);
  }
}

/** The way into a live stream for a consumer that can feed it directly: its events with `Handover`s between them. */
export const WITH_HANDOVERS = Symbol("onair.withHandovers");

/** A subscription's stream: event by event for any tRPC adapter, or with handovers (`WITH_HANDOVERS`). */
export interface LiveStream<E> extends AsyncIterable<E, void, undefined> {
  [WITH_HANDOVERS](): AsyncGenerator<E | Handover, void, undefined>;
}

export function liveStream<E>(make: () => AsyncGenerator<E | Handover, void, undefined>): LiveStream<E> {
  return {
    [WITH_HANDOVERS]: make,
    async *[Symbol.asyncIterator]() {
      for await (const value of make()) if (!(value instanceof Handover)) yield value;
    },
  };
}

export function isLiveStream(value: unknown): value is LiveStream<unknown> {
  return typeof value === "object" && value !== null && WITH_HANDOVERS in value;
}
