import { AsyncLocalStorage } from "node:async_hooks";
import { sql as sqlTag } from "drizzle-orm";
import type { Database, DatabaseHandle } from "./client";

/**
 * The bus that carries events (chat, live status, activity, account changes) between server
 * instances. Writers call `notify(db, channel, payload)`; each instance `listen`s once per channel.
 * Either bus keeps one contract: every instance hears every payload sent after it listens, in the
 * order the writers' transactions committed, and `onListen` runs again after the bus was deaf
 * (then listeners catch up from the tables).
 */
export interface Bus {
  kind: "postgres" | "redis";
  listen: DatabaseHandle["listen"];
  close(): Promise<void>;
}

/** PostgreSQL's LISTEN/NOTIFY on the database itself (the default bus): NOTIFY is sent on commit. */
export function databaseBus(handle: Pick<DatabaseHandle, "listen">): Bus {
  return { kind: "postgres", listen: handle.listen, close: async () => {} };
}

type Publish = (channel: string, payload: string) => void;

/** Databases whose `notify` goes to a bus other than PostgreSQL, and how. */
const publishers = new WeakMap<Database, Publish>();
/** Inside `db.transaction` of such a database: what it sent, published once it committed. */
const transaction = new AsyncLocalStorage<{ pending: [string, string][]; publish: Publish; done: boolean }>();

/**
 * Makes `notify(db, …)` publish through `publish` instead of PostgreSQL's NOTIFY. Inside
 * `db.transaction(…)` payloads wait for the commit (in the order they were sent) and are dropped on
 * rollback, as NOTIFY's are. Returns how to undo it.
 */
export function publishThrough(db: Database, publish: Publish): () => void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with `this` below
  const original = db.transaction;
  const wrapped = async function (this: Database, ...args: Parameters<Database["transaction"]>) {
    const scope = { pending: [] as [string, string][], publish, done: false };
    const result = await transaction.run(scope, () => original.apply(this, args));
    scope.done = true;
    for (const [channel, payload] of scope.pending) publish(channel, payload);
    return result;
  };
  publishers.set(db, publish);
  db.transaction = wrapped as Database["transaction"];
  return () => {
    publishers.delete(db);
    db.transaction = original;
  };
}

/**
 * Where a `notify` on `db` goes when a bus other than PostgreSQL carries it: `publish` at once, or
 * `pending` until the surrounding transaction commits. Undefined: PostgreSQL's NOTIFY.
 */
export function busRoute(db: Database): ((channel: string, payload: string) => void) | undefined {
  const scope = transaction.getStore();
  if (scope && !scope.done) return (channel, payload) => void scope.pending.push([channel, payload]);
  return publishers.get(db) ?? (scope ? scope.publish : undefined);
}

/**
 * NOTIFY `channel` once per payload, in this order (each ≤ 8000 bytes): on PostgreSQL in one statement;
 * inside a transaction they are sent on commit, in this order. With a Redis bus (`publishThrough`) they
 * are published there instead, after the commit too.
 */
export async function notifyAll(db: Database, channel: string, payloads: string[]): Promise<void> {
  if (!payloads.length) return;
  const route = busRoute(db);
  if (route) {
    for (const payload of payloads) route(channel, payload);
    return;
  }
  const list = sqlTag.join(
    payloads.map((payload) => sqlTag`${payload}`),
    sqlTag`, `,
  );
  await db.execute(
    sqlTag`select pg_notify(${channel}, payload) from unnest(array[${list}]::text[]) with ordinality as t(payload, n) order by n`,
  );
}

/**
 * NOTIFY `channel` with `payload` (≤ 8000 bytes); inside a transaction it is sent on commit. With a
 * Redis bus (`publishThrough`) it is published there instead, after the commit too.
 */
export async function notify(db: Database, channel: string, payload: string): Promise<void> {
  const route = busRoute(db);
  if (route) return route(channel, payload);
  await db.execute(sqlTag`select pg_notify(${channel}, ${payload})`);
}
