import { sql } from "drizzle-orm";
import type { Database } from "@onair/db";
import { measureBaseline } from "../lib/baselines";
import { capture } from "../lib/capture";
import { runSeconds } from "../lib/config";
import { measure, type LoadRequest, type LoadResult } from "../lib/load";
import { dbKinds, LIVEKIT, openBenchDatabase, startOnAir } from "../lib/onair";
import { report, times } from "../lib/report";
import { problems } from "./storm";

const STREAMS = 100_000;
const LIVE = 5_000;
const CONNECTIONS = 50;

/** 100,000 channels (one user each), the first 5,000 live with viewers; titles name a topic. */
export async function seedDirectory(db: Database) {
  await db.execute(sql`
    insert into "user" (id, name, email, email_verified, username, display_username, role)
    select 'dir-' || i, 'Channel ' || i, 'dir' || i || '@bench.test', true, 'dir_' || i, 'Dir_' || i, 'user'
    from generate_series(1, ${STREAMS}) as i`);
  await db.execute(sql`
    insert into stream (user_id, title, is_live, live_since, last_live_at, viewer_count)
    select 'dir-' || i,
           (array['Chess openings', 'Speedrun practice', 'Lo-fi music', 'Cooking live', 'Coding a game'])[1 + i % 5] || ' #' || i,
           i <= ${LIVE},
           case when i <= ${LIVE} then now() - (i % 600) * interval '1 minute' end,
           case when i > ${LIVE} then now() - (i % 5000) * interval '1 hour' end,
           case when i <= ${LIVE} then (i * 7919) % 20000 else 0 end
    from generate_series(1, ${STREAMS}) as i`);
  // Live means media flows: each live channel's open broadcast publishes.
  await db.execute(sql`
    insert into broadcast (stream_id, room_name, started_at, publishing_at)
    select id, 'broadcast-' || gen_random_uuid(), live_since, live_since from stream where is_live`);
  await db.execute(sql`analyze`);
}

/** `stream.live` with 100,000 channels of which 5,000 are live: the first page, and a search. */
export async function directory() {
  const seconds = runSeconds(5);
  const load = { connections: CONNECTIONS, seconds, warmupSeconds: 1 };
  let firstPage: { requests: LoadRequest[]; body: string } | undefined;
  const results: { label: string; result: LoadResult }[] = [];
  for (const kind of dbKinds()) {
    const database = await openBenchDatabase(kind);
    const server = await startOnAir(database.handle);
    try {
      const started = performance.now();
      await seedDirectory(server.db);
      console.log(`  seeded ${STREAMS.toLocaleString("en")} channels on ${kind} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      const cases = [
        { label: "first page (24)", input: { limit: 24 } },
        { label: "search “chess” (24)", input: { limit: 24, query: "chess" } },
      ];
      for (const { label, input } of cases) {
        const call = await capture(server.url, undefined, (client) => client.stream.live.query(input));
        if (call.value.items.length !== 24 || !call.value.items.every((item) => item.isLive)) throw new Error(`${label}: unexpected page`);
        firstPage ??= { requests: call.requests, body: call.bodies[0]! };
        results.push({ label: `${label} on ${kind}`, result: await measure(label, { url: server.url, requests: call.requests, ...load }) });
      }
    } finally {
      await server.close();
      await database.handle.close();
    }
  }
  const config = { channelBody: firstPage!.body, ...LIVEKIT, wsUrl: LIVEKIT.url, roomName: "none" };
  const floor = await measureBaseline("floor", config, { requests: firstPage!.requests, ...load, seconds: Math.min(seconds, 3) });
  for (const { label, result } of results) {
    report({
      scenario: "directory",
      case: label,
      rps: result.rps,
      p50: result.p50,
      p99: result.p99,
      ratio: times(result.rps, floor.rps, "floor"),
      note: `${CONNECTIONS} connections${problems(result)}`,
    });
  }
  report({ scenario: "directory", case: "HTTP floor (same bytes)", rps: floor.rps, p50: floor.p50, p99: floor.p99, ratio: "baseline" });
}
