/**
 * One subscriber's queue of events, read with `for await`. Unlike `node:events`' `on()`, nothing
 * pushed into it is ever thrown at the reader: it only yields values, and ends (`done`) when closed,
 * dropping what is still queued (the reader is gone or the server is shutting down). Closing runs
 * `detach` once, whichever way it happens: the reader's `return()`, or `close()` from its owner.
 */
export class Inbox<E> implements AsyncIterableIterator<E> {
  private queue: E[] = [];
  private wake: (() => void) | null = null;
  private closed = false;

  /**
   * `overflow`: a reader this far behind (`limit` values queued: its connection drains slower than
   * events come) has its queue replaced by `instead` (Fanout: `RESYNC`, so it catches up from the
   * tables, or gets a `reset`), and only it: the others are never held up by it.
   */
  constructor(
    private readonly detach: () => void,
    private readonly overflow?: { limit: number; instead: E },
  ) {}

  push(value: E): void {
    if (this.closed) return;
    if (this.overflow && this.queue.length >= this.overflow.limit) {
      this.queue = [this.overflow.instead];
      return;
    }
    this.queue.push(value);
    this.wake?.();
  }

  /** How many values are queued and not read yet. */
  get size(): number {
    return this.queue.length;
  }

  /** Whether it was closed (its reader is gone). */
  get isClosed(): boolean {
    return this.closed;
  }

  /** The last value queued and not read yet. */
  last(): E | undefined {
    return this.queue.at(-1);
  }

  /** Everything queued now, without waiting (the reader takes a burst at once). */
  drain(): E[] {
    const queued = this.queue;
    this.queue = [];
    return queued;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.detach();
    this.wake?.();
  }

  async next(): Promise<IteratorResult<E, undefined>> {
    while (this.queue.length === 0 && !this.closed) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
    if (this.closed) return { value: undefined, done: true };
    return { value: this.queue.shift()!, done: false };
  }

  async return(): Promise<IteratorResult<E, undefined>> {
    this.close();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
