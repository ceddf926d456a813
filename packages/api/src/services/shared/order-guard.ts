/** Where an event sits in its key's sequence: its id, and the id of the one before it (null: the first). */
export interface Order {
  id: number;
  prev: number | null;
}

/** How long an event waits for the one before it before the key's subscribers catch up from the tables. */
export const ORDER_WAIT_MS = 1000;

/**
 * Restores commit order per key when the bus may reorder (Redis: instances publish after their
 * commits, so two close commits from different instances can arrive swapped). An event whose
 * predecessor has not been heard yet waits (at most `waitMs`); when it comes, both go out in order.
 * Heard twice → dropped. A predecessor that never comes (lost) → `gap()`: subscribers catch up from
 * the tables. On LISTEN/NOTIFY events already arrive in order and pass straight through.
 */
export class OrderGuard<E> {
  private readonly last = new Map<string, number>();
  /** Per key, events waiting for their predecessor, by that predecessor's id. */
  private readonly held = new Map<string, Map<number, { id: number; event: E }>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly deliver: (key: string, event: E) => void,
    private readonly gap: () => void,
    private readonly waitMs = ORDER_WAIT_MS,
  ) {}

  accept(key: string, order: Order, event: E): void {
    const last = this.last.get(key);
    if (last !== undefined && order.id <= last) return; // heard already
    if (last !== undefined && order.prev !== null && order.prev > last) {
      this.hold(key, order, event);
      return;
    }
    this.pass(key, order.id, event);
  }

  private pass(key: string, id: number, event: E): void {
    this.last.set(key, id);
    this.deliver(key, event);
    const waiting = this.held.get(key);
    let current = id;
    let next = waiting?.get(current);
    while (waiting && next) {
      waiting.delete(current);
      this.last.set(key, next.id);
      this.deliver(key, next.event);
      current = next.id;
      next = waiting.get(current);
    }
    if (waiting?.size === 0) this.release(key);
  }

  private hold(key: string, order: Order, event: E): void {
    let waiting = this.held.get(key);
    if (!waiting) this.held.set(key, (waiting = new Map<number, { id: number; event: E }>()));
    waiting.set(order.prev!, { id: order.id, event });
    if (this.timers.has(key)) return;
    const timer = setTimeout(() => {
      // The predecessor was lost: what waited is committed, so the tables have it all, in order.
      this.release(key);
      this.last.delete(key);
      this.gap();
    }, this.waitMs);
    timer.unref();
    this.timers.set(key, timer);
  }

  private release(key: string): void {
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.held.delete(key);
  }

  /** Forgets everything (the bus was deaf: subscribers catch up from the tables). */
  reset(): void {
    for (const key of [...this.timers.keys()]) this.release(key);
    this.held.clear();
    this.last.clear();
  }
}
