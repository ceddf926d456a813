/**
 * What one request in a batch gets: its own value, its own error, or work to finish after the batch
 * committed (e.g. looking up the first result of a replayed idempotency key).
 */
export type Outcome<R> = { value: R } | { error: unknown } | { after: () => Promise<R> };

interface Waiting<I, R> {
  item: I;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/** At most this many requests in one batch (one transaction); the rest wait for the next. */
export const MAX_BATCH = 256;

/**
 * Group commit per key (a channel): requests submitted for one key while its batch is committing
 * wait, and then all go in the next batch, one call of `commit` (one transaction). A batch starts at
 * once when none is running, so a lone request waits for nothing; under load each batch carries every
 * request that arrived during the previous one. One batch per key at a time in this process; other
 * processes batch on their own and their batches take turns under the channel's lock.
 *
 * `commit` returns one outcome per item, in order; if it throws, every request of the batch fails
 * with that error (nothing of it was committed).
 */
export class ChannelBatches<I, R> {
  private readonly queues = new Map<string, Waiting<I, R>[]>();
  private readonly running = new Set<string>();
  /** Batches committed (or failed) so far, and the requests they carried: how much was grouped. */
  readonly stats = { batches: 0, requests: 0 };

  constructor(
    private readonly commit: (key: string, items: I[]) => Promise<Outcome<R>[]>,
    private readonly maxBatch = MAX_BATCH,
  ) {}

  submit(key: string, item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) queue.push({ item, resolve, reject });
      else this.queues.set(key, [{ item, resolve, reject }]);
      // Requests arriving in the same turn of the event loop share the first batch.
      if (!this.running.has(key)) {
        this.running.add(key);
        setImmediate(() => void this.drain(key));
      }
    });
  }

  /** Requests waiting or in a batch now, for every key (tests, metrics). */
  get pending(): number {
    let count = 0;
    for (const queue of this.queues.values()) count += queue.length;
    return count;
  }

  private async drain(key: string): Promise<void> {
    for (;;) {
      const queue = this.queues.get(key);
      if (!queue?.length) {
        this.queues.delete(key);
        this.running.delete(key);
        return;
      }
      const batch = queue.splice(0, this.maxBatch);
      this.stats.batches++;
      this.stats.requests += batch.length;
      let outcomes: Outcome<R>[];
      try {
        outcomes = await this.commit(
          key,
          batch.map((waiting) => waiting.item),
        );
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
        continue;
      }
      batch.forEach((waiting, at) => settle(waiting, outcomes[at]!));
    }
  }
}

function settle<I, R>(waiting: Waiting<I, R>, outcome: Outcome<R>): void {
  if ("value" in outcome) waiting.resolve(outcome.value);
  else if ("error" in outcome) waiting.reject(outcome.error);
  else outcome.after().then(waiting.resolve, waiting.reject);
}
