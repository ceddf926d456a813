import { loadavg } from "node:os";
import { sql } from "drizzle-orm";
import { addFollowers } from "@onair/api/testing";
import { alertFollowers } from "../lib/config";
import { dbKinds, openBenchDatabase, startOnAir } from "../lib/onair";
import { report } from "../lib/report";
import { makeCreators } from "../lib/seed";
import { percentile } from "./golive";

/** Followers of the channel that goes live (issue 26: every in-app alert written within 10 s). */
const FOLLOWERS = alertFollowers;
const ROUNDS = 60;
const TARGET_MS = 10_000;

async function scalar(db: Parameters<typeof addFollowers>[0], query: ReturnType<typeof sql>): Promise<number> {
  const answer: unknown = await db.execute(query);
  const rows = Array.isArray(answer) ? (answer as { n: unknown }[]) : ((answer as { rows: { n: unknown }[] }).rows ?? []);
  return Number(rows[0]?.n ?? 0);
}

/**
 * A channel with `FOLLOWERS` followers goes live (the creator's heartbeat says its media flows, which
 * queues the go-live job): the time until every follower's `live` notification is written by the
 * server's own alert worker (polled from the table), and another creator's `stream.goLive` server time
 * (from offline) before and while the alerts are written.
 */
export async function alerts() {
  for (const kind of dbKinds()) {
    const database = await openBenchDatabase(kind);
    const seen: { url: string; ms: number }[] = [];
    const server = await startOnAir(database.handle, { onResponse: (url, ms) => void seen.push({ url, ms }) });
    const serverTime = async (path: string) => {
      await new Promise((resolve) => setImmediate(resolve));
      const hit = seen.findLast((entry) => entry.url.startsWith(`/trpc/${path}`));
      seen.length = 0;
      if (!hit) throw new Error(`no response to ${path} was seen`);
      return hit.ms;
    };
    try {
      const [star, other] = await makeCreators(server, ["alerts_star", "alerts_other"]);
      const [owner] = await database.handle.db
        .execute(sql`select id from "user" where username = 'alerts_star'`)
        .then((answer: unknown) => (Array.isArray(answer) ? (answer as { id: string }[]) : (answer as { rows: { id: string }[] }).rows));
      const seeding = performance.now();
      await addFollowers(database.handle.db, owner!.id, FOLLOWERS, "bench_fan");
      console.log(`  ${FOLLOWERS.toLocaleString("en")} followers seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);

      const goLiveTimes = async (rounds: number, until?: () => boolean) => {
        const times: number[] = [];
        for (let round = 0; round < rounds || (until && !until()); round++) {
          await other!.client.stream.goLive.mutate();
          times.push(await serverTime("stream.goLive"));
          await other!.client.stream.end.mutate();
        }
        return times;
      };
      const before = await goLiveTimes(ROUNDS);

      await star!.client.stream.goLive.mutate({ title: "100k followers" });
      const started = performance.now();
      await star!.client.stream.heartbeat.mutate({ publishing: true });
      const heartbeatMs = await serverTime("stream.heartbeat");
      let writtenMs: number | null = null;
      const counting = (async () => {
        while (performance.now() - started < 60_000) {
          // the job is marked done in the transaction after its last batch (cheaper to poll than counting rows)
          const done = await scalar(database.handle.db, sql`select count(*)::int as n from alert_job where done_at is not null`);
          if (done > 0) return (writtenMs = performance.now() - started);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        throw new Error("not every alert was written within 60 s");
      })();
      const during = await goLiveTimes(ROUNDS, () => writtenMs !== null);
      await counting;
      const written = await scalar(database.handle.db, sql`select count(*)::int as n from notification`);
      if (written !== FOLLOWERS) throw new Error(`${written} alerts written for ${FOLLOWERS} followers`);
      const load = loadavg()[0]!.toFixed(2);
      report({
        scenario: "alerts",
        case: `${FOLLOWERS.toLocaleString("en")} in-app alerts written on ${kind}`,
        rps: Math.round(FOLLOWERS / (writtenMs! / 1000)),
        p50: null,
        p99: null,
        ratio: `${(writtenMs! / 1000).toFixed(2)} s (target ${TARGET_MS / 1000} s)`,
        note: `load ${load}; heartbeat that queued them ${heartbeatMs.toFixed(1)} ms; the worker looks every 0.5 s`,
      });
      for (const [label, values] of [
        ["before", before],
        ["while alerts are written", during],
      ] as const) {
        report({
          scenario: "alerts",
          case: `stream.goLive ${label} on ${kind} (${values.length} calls)`,
          rps: null,
          p50: percentile(values, 50),
          p99: percentile(values, 99),
          ratio: "target p99 ≤ 20 ms",
        });
      }
    } finally {
      await server.close();
      await database.handle.close();
    }
  }
}
