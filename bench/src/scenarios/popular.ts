import { randomUUID } from "node:crypto";
import { asc, eq, sql } from "drizzle-orm";
import { chatMessage, giftTransaction, type Database } from "@onair/db";
import { until } from "@onair/db/testing";
import { capture } from "../lib/capture";
import { profiled } from "../lib/cpu-profile";
import { startBaselineServer } from "../lib/child";
import { runSeconds } from "../lib/config";
import { startChild } from "../lib/child";
import type { PopularLoad, PopularResult } from "../popular-load";
import { dbKinds, openBenchDatabase, startOnAir, type BenchDatabase, type DbKind, type OnAirServer } from "../lib/onair";
import { report, times } from "../lib/report";
import { makeLiveCreator, seedViewers, type Creator } from "../lib/seed";
import { subscribe } from "./chat-burst";

const GIFT_SENDERS = 200;
const CHAT_CONNECTIONS = 100;
/** Distinct chatters, taken in turn: each sends far less often than the per-user gap (0.5 s). */
const CHATTERS = 2000;
const READERS = 50;
const FUNDS = 1_000_000;

const rows = <T>(result: unknown) => (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
const refusals = (result: PopularResult) => `${result.ok} answered, ${result.failed} refused or failed`;

/** One load run in its own process (`popular-load.ts`). */
async function runPopular(load: PopularLoad): Promise<PopularResult> {
  const child = startChild("popular-load.ts");
  try {
    const reply = await child.request<{ result?: PopularResult; error?: string }>(load, load.seconds * 1000 + 180_000);
    if (!reply.result) throw new Error(`load generator failed: ${reply.error}`);
    return reply.result;
  } finally {
    await child.stop();
  }
}

/** The channel's stored gifts and chat messages. */
async function stored(db: Database, streamId: string) {
  const [row] = rows<{ gifts: number; messages: number }>(
    await db.execute(sql`select (select count(*) from ${giftTransaction} where ${giftTransaction.streamId} = ${streamId})::int as gifts,
                                (select count(*) from ${chatMessage}
                                  where ${chatMessage.streamId} = ${streamId} and ${chatMessage.kind} = 'message')::int as messages`),
  );
  return row!;
}

/**
 * The load generator stops at its deadline with requests still queued in the server: waits until the
 * channel's gifts and messages stop growing (unchanged for 1.5 s, at most 60 s). Returns them and when
 * the last one was stored, so rates count every request the server accepted, queued ones included.
 */
async function settled(db: Database, streamId: string) {
  let last = await stored(db, streamId);
  let lastChange = performance.now();
  const deadline = lastChange + 60_000;
  while (performance.now() - lastChange < 1500 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = await stored(db, streamId);
    if (now.gifts !== last.gifts || now.messages !== last.messages) [last, lastChange] = [now, performance.now()];
  }
  return { ...last, at: lastChange };
}

/** Every subscriber saw exactly the channel's stored lines (chat and gift lines), each once, in order. */
async function deliveryProblems(db: Database, streamId: string, subscribers: ReturnType<typeof subscribe>[]) {
  const stored = (
    await db.select({ id: chatMessage.id }).from(chatMessage).where(eq(chatMessage.streamId, streamId)).orderBy(asc(chatMessage.id))
  ).map((row) => row.id);
  await until(() => subscribers.every((s) => s.ids.length >= stored.length), 30_000).catch(() => undefined);
  const problems = subscribers.flatMap((s, i) => {
    const same = s.ids.length === stored.length && s.ids.every((id, at) => id === stored[at]);
    return same ? [] : [`subscriber ${i + 1} got ${s.ids.length} of ${stored.length} lines (${new Set(s.ids).size} distinct)`];
  });
  return { stored: stored.length, problems };
}

/** Debits (what the senders spent) = ledger = the creator's earnings as `wallet.balance` shows them. */
async function ledger(db: Database, creator: Creator) {
  type Sums = { spent: number; ledger: number };
  const [sums] = rows<Sums>(
    await db.execute(sql`
      select (select coalesce(sum(${FUNDS} - balance), 0)::int from wallet where user_id like 'gifter-%') as spent,
             (select coalesce(sum(${giftTransaction.price}), 0)::int from ${giftTransaction}) as ledger`),
  );
  const { earnings } = await creator.client.wallet.balance.query();
  const exact = sums!.spent === sums!.ledger && sums!.ledger === earnings;
  return { exact, text: `debits ${sums!.spent} · ledger ${sums!.ledger} · earnings ${earnings}` };
}

/** `gift.send` (200 senders), `chat.send` (distinct users) and the creator's heartbeat, all at once. */
async function storm(server: OnAirServer, creator: Creator, kind: DbKind, seconds: number) {
  const username = creator.username;
  const gifters = await seedViewers(server.db, GIFT_SENDERS, "gifter");
  await server.db.execute(sql`
    insert into wallet (user_id, balance) select id, ${FUNDS} from "user" where id like 'gifter-%'
    on conflict (user_id) do update set balance = ${FUNDS}`);
  const chatters = await seedViewers(server.db, CHATTERS, "chatter");
  const [{ id: streamId }] = rows<{ id: string }>(
    await server.db.execute(sql`select id from stream where user_id = (select id from "user" where username = ${username})`),
  ) as [{ id: string }];
  const subscribers = [subscribe(server.url, username, "0"), subscribe(server.url, username, "0")];
  await Promise.all(subscribers.map((s) => s.ready));

  // The exact requests the real client sends (each sent once here, counted in the checks).
  const key = randomUUID();
  const gift = await capture(server.url, gifters[0], (c) => c.gift.send.mutate({ username, giftId: "wave", idempotencyKey: key }));
  const chat = await capture(server.url, chatters.at(-1), (c) => c.chat.send.mutate({ username, text: "what a moment" }));
  const beat = await capture(server.url, creator.authorization, (c) => c.stream.heartbeat.mutate());
  const before = await stored(server.db, streamId);
  const load = (spec: Omit<PopularLoad, "url" | "seconds">) => runPopular({ url: server.url, seconds, ...spec });
  const [gifts, sent, heartbeat] = await profiled(`popular gifts+chat ${kind}`, () =>
    Promise.all([
      load({ request: gift.requests[0]!, freshKey: key, connections: GIFT_SENDERS, authorizations: gifters }),
      load({ request: chat.requests[0]!, connections: CHAT_CONNECTIONS, authorizations: chatters.slice(0, -1) }),
      load({ request: beat.requests[0]!, connections: 20, perSecond: 20 }),
    ]),
  );
  const after = await settled(server.db, streamId);
  const delivery = await deliveryProblems(server.db, streamId, subscribers);
  for (const s of subscribers) s.stop();
  const money = await ledger(server.db, creator);

  report({
    scenario: "popular",
    case: `gift.send to one creator, ${GIFT_SENDERS} senders, ${kind}`,
    rps: gifts.rps,
    p50: gifts.p50,
    p99: gifts.p99,
    ratio: `ledger ${money.exact ? "exact" : "MISMATCH"}`,
    note: `gifts/s (${after.gifts - before.gifts} stored); ${money.text}; ${refusals(gifts)} in ${gifts.elapsed.toFixed(1)} s`,
  });
  report({
    scenario: "popular",
    case: `chat.send to one channel, ${CHAT_CONNECTIONS} connections, distinct users, ${kind}`,
    rps: sent.rps,
    p50: sent.p50,
    p99: sent.p99,
    ratio: delivery.problems.length ? "delivery BROKEN" : "2 subscribers: each once, in order",
    note: `accepted/s (${after.messages - before.messages} stored); ${delivery.stored} lines stored (chat + gifts); ${refusals(sent)} in ${sent.elapsed.toFixed(1)} s${delivery.problems.length ? `; ${delivery.problems.join("; ")}` : ""}`,
  });
  report({
    scenario: "popular",
    case: `creator heartbeat during both, ${kind}`,
    rps: null,
    p50: heartbeat.p50,
    p99: heartbeat.p99,
    ratio: `max ${heartbeat.max.toFixed(0)} ms`,
    note: `one every 50 ms, whatever came back; ${refusals(heartbeat)}`,
  });
  const failures = [
    ...(money.exact ? [] : [`ledger not exact: ${money.text}`]),
    ...delivery.problems,
    ...(heartbeat.failed ? ["heartbeats failed"] : []),
  ];
  return { gifters, failures };
}

/** `wallet.balance` (50 concurrent, signed in) against Fastify + postgres.js doing the same lookup and select. */
async function signedInRead(server: OnAirServer, database: BenchDatabase, kind: DbKind, authorizations: string[], seconds: number) {
  const read = await capture(server.url, authorizations[0], (c) => c.wallet.balance.query());
  // Each run is preceded by an uncounted second (sessions looked up once, connections opened).
  const measure = async (url: string, request: PopularLoad["request"]) => {
    await runPopular({ url, request, connections: READERS, seconds: 1, authorizations });
    return runPopular({ url, request, connections: READERS, seconds, authorizations });
  };
  const onair = await profiled(`popular wallet.balance ${kind}`, () => measure(server.url, read.requests[0]!));
  let base: PopularResult | undefined;
  if (database.url) {
    const fastify = await startBaselineServer("baselines/fastify-session.ts", { databaseUrl: database.url, connections: 10 });
    try {
      base = await measure(fastify.url, { method: "GET", path: "/wallet", headers: {} });
    } finally {
      await fastify.stop();
    }
  }
  report({
    scenario: "popular",
    case: `wallet.balance, ${READERS} concurrent, signed in, ${kind}`,
    rps: onair.rps,
    p50: onair.p50,
    p99: onair.p99,
    ratio: base ? times(onair.rps, base.rps, "Fastify + postgres.js") : "no baseline (postgres.js needs PostgreSQL)",
    note: refusals(onair),
  });
  if (base) {
    report({
      scenario: "popular",
      case: `Fastify + postgres.js: session lookup + wallet select, ${kind}`,
      rps: base.rps,
      p50: base.p50,
      p99: base.p99,
      ratio: "baseline",
      note: refusals(base),
    });
  }
  return [...(onair.failed ? ["wallet.balance failed"] : []), ...(base?.failed ? ["baseline failed"] : [])];
}

/**
 * A popular creator's moment (issue 22): gifts and chat to one channel at once with the creator's
 * heartbeat, then the signed-in read against its bare baseline. Fails if the ledger is not exact or a
 * subscriber missed, doubled or reordered a line.
 */
export async function popular() {
  const seconds = runSeconds(4);
  for (const kind of dbKinds()) {
    const database = await openBenchDatabase(kind);
    const server = await startOnAir(database.handle);
    try {
      const creator = await makeLiveCreator(server, "popular_star");
      const { gifters, failures } = await storm(server, creator, kind, seconds);
      failures.push(...(await signedInRead(server, database, kind, gifters, seconds)));
      if (failures.length) throw new Error(`popular on ${kind}: ${failures.join("; ")}`);
    } finally {
      await server.close();
      await database.handle.close();
    }
  }
}
