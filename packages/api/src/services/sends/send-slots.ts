import type { Database } from "@onair/db";

/**
 * How many of an instance's database connections (10 by default) gift and chat sends may hold at once,
 * pre-checks and batch transactions together. The rest stay free for everything else: the creator's
 * heartbeat, LiveKit's webhooks, the sweeper and reads never wait for a connection behind a storm of
 * sends. A send waiting for a slot waits in memory, holding no connection.
 */
export const SEND_CONNECTIONS = 6;

class Slots {
  private busy = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async run<T>(work: () => Promise<T>, first: boolean): Promise<T> {
    if (this.busy < this.size) this.busy++;
    // The slot is handed over by the one finishing; a batch goes before single requests' checks.
    else await new Promise<void>((resolve) => (first ? this.waiting.unshift(resolve) : this.waiting.push(resolve)));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.busy--;
    }
  }
}

const slotsOf = new WeakMap<Database, Slots>();

/**
 * Runs `work` (database work of a send) once one of the instance's send slots is free; `first`: ahead
 * of everything waiting (a channel's batch, which the requests waiting for slots are waiting for too).
 */
export function withSendSlot<T>(db: Database, work: () => Promise<T>, first = false): Promise<T> {
  let slots = slotsOf.get(db);
  if (!slots) slotsOf.set(db, (slots = new Slots(SEND_CONNECTIONS)));
  return slots.run(work, first);
}
