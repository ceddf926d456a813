import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { dbKinds, openBenchDatabase, startOnAir } from "../lib/onair";
import { report, times } from "../lib/report";
import { makeLiveCreator, onairClient, seedViewers } from "../lib/seed";
import { percentile } from "./golive";

const SENDERS = 50;
const SECONDS = 8;

/** `concurrency` loops calling `call` back to back for `seconds`: throughput and latency. */
async function drive(clients: unknown[], seconds: number, call: (client: never) => Promise<unknown>) {
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < until) {
        const t = performance.now();
        try {
          await call(client as never);
          latencies.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
    count: latencies.length,
  };
}

/**
 * `gift.send` under 50 concurrent senders (each its own wallet, each gift its own idempotency key),
 * through the real client; baseline: a cheap signed-in read (`wallet.balance`) at the same concurrency.
 * Afterwards the ledger must agree with the wallets to the coin.
 */
export async function gifts() {
  for (const kind of dbKinds()) {
    const database = await openBenchDatabase(kind);
    const server = await startOnAir(database.handle);
    try {
      const creator = await makeLiveCreator(server, "gift_star");
      const authorizations = await seedViewers(server.db, SENDERS, "gifter");
      await server.db.execute(sql`
        insert into wallet (user_id, balance) select id, 1000000 from "user" where id like 'gifter-%'
        on conflict (user_id) do update set balance = 1000000`);
      const clients = authorizations.map((authorization) => onairClient(server.url, { authorization }));
      const base = await drive(clients, SECONDS / 2, (client: ReturnType<typeof onairClient>) => client.wallet.balance.query());
      const sent = await drive(clients, SECONDS, (client: ReturnType<typeof onairClient>) =>
        client.gift.send.mutate({ username: creator.username, giftId: "wave", idempotencyKey: randomUUID() }),
      );
      type Check = { spent: number; ledger: number; earned: number };
      const result = await server.db.execute<Check>(sql`
        select (select sum(1000000 - balance)::int from wallet where user_id like 'gifter-%') as spent,
               (select coalesce(sum(price), 0)::int from gift_transaction) as ledger,
               (select coalesce(sum(amount), 0)::int from creator_earnings e join "user" u on u.id = e.user_id
                 where u.username = ${creator.username}) as earned`);
      const [check] = (Array.isArray(result) ? result : (result as { rows: Check[] }).rows) as Check[];
      const exact = check ? check.spent === check.ledger && check.ledger === check.earned : false;
      report({
        scenario: "gifts",
        case: `gift.send, ${SENDERS} concurrent senders on ${kind}`,
        rps: sent.rps,
        p50: sent.p50,
        p99: sent.p99,
        ratio: times(sent.rps, base.rps, "wallet.balance"),
        note: `${sent.count} gifts, ${sent.errors} errors; ledger ${exact ? "exact" : "MISMATCH"}`,
      });
      report({
        scenario: "gifts",
        case: `wallet.balance, ${SENDERS} concurrent on ${kind}`,
        rps: base.rps,
        p50: base.p50,
        p99: base.p99,
        ratio: "baseline",
      });
    } finally {
      await server.close();
      await database.handle.close();
    }
  }
}
