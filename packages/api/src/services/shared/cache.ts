import { EventEmitter } from "node:events";

/**
 * A small in-process read-through cache: entries live `ttlMs` at most, concurrent misses for one key
 * share one load, and `invalidate` wins over a load already under way (its result is handed to the
 * callers that were waiting for it, but never stored). The oldest entry goes when `maxEntries` is reached.
 */
export interface CacheOptions {
  ttlMs: number;
  maxEntries: number;
  /** Results for which this says false are returned but not kept (e.g. "not found"). */
  keep?: (value: unknown) => boolean;
  now?: () => number;
}

interface Entry<V> {
  value: V;
  expires: number;
}

export class KeyedCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly loading = new Map<string, Promise<V>>();
  private readonly now: () => number;

  constructor(private readonly options: CacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached value, or `load()`'s (shared with every concurrent caller for `key`). */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit) {
      if (hit.expires > this.now()) return Promise.resolve(hit.value);
      this.entries.delete(key);
    }
    const pending = this.loading.get(key);
    if (pending) return pending;
    const promise = load().then(
      (value) => {
        if (this.loading.get(key) === promise) {
          this.loading.delete(key);
          if (this.options.keep?.(value) ?? true) this.store(key, value);
        }
        return value;
      },
      (error: unknown) => {
        if (this.loading.get(key) === promise) this.loading.delete(key);
        throw error;
      },
    );
    this.loading.set(key, promise);
    return promise;
  }

  /** The value if it is cached and fresh; never loads. */
  peek(key: string): V | undefined {
    const hit = this.entries.get(key);
    return hit && hit.expires > this.now() ? hit.value : undefined;
  }

  invalidate(key: string): void {
    this.entries.delete(key);
    this.loading.delete(key);
  }

  /** Drops every entry `match` picks, and every load under way (it may have read what just changed). */
  invalidateWhere(match: (value: V, key: string) => boolean): void {
    for (const [key, entry] of this.entries) if (match(entry.value, key)) this.entries.delete(key);
    this.loading.clear();
  }

  clear(): void {
    this.entries.clear();
    this.loading.clear();
  }

  private store(key: string, value: V) {
    if (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expires: this.now() + this.options.ttlMs });
  }
}

/**
 * Changes announced by this process, heard at once by its caches (NOTIFY reaches every instance,
 * this process included, but from PostgreSQL only a moment after the writer's call returns).
 * Events: "stream" (username), "restriction" (stream id). Emitted after the
 * change is committed (or, inside a transaction, also re-announced by NOTIFY on commit).
 */
export const localChanges = new EventEmitter().setMaxListeners(0);
