import { measureBaseline } from "../lib/baselines";
import { capture } from "../lib/capture";
import { runSeconds } from "../lib/config";
import { measure, type LoadResult } from "../lib/load";
import { dbKinds, LIVEKIT, openBenchDatabase, startOnAir } from "../lib/onair";
import { report, times } from "../lib/report";
import { problems } from "./storm";

/** A cheap query (`gift.catalog`, one GET as httpBatchLink sends it) through the whole server vs the HTTP floor. */
export async function procedure() {
  const seconds = runSeconds(dbKinds().length > 1 ? 6 : 8);
  const load = { connections: 100, seconds, warmupSeconds: 1 };
  const results: { kind: string; result: LoadResult }[] = [];
  let sample: Awaited<ReturnType<typeof capture>> | undefined;
  for (const kind of dbKinds()) {
    const database = await openBenchDatabase(kind);
    const server = await startOnAir(database.handle);
    try {
      const call = await capture(server.url, undefined, (client) => client.gift.catalog.query());
      sample ??= call;
      results.push({ kind, result: await measure(`gift.catalog on ${kind}`, { url: server.url, requests: call.requests, ...load }) });
    } finally {
      await server.close();
      await database.handle.close();
    }
  }
  const config = { channelBody: sample!.bodies[0]!, ...LIVEKIT, wsUrl: LIVEKIT.url, roomName: "none" };
  const floor = await measureBaseline("floor", config, { requests: sample!.requests, ...load });
  for (const { kind, result } of results) {
    report({
      scenario: "procedure",
      case: `gift.catalog on ${kind}`,
      rps: result.rps,
      p50: result.p50,
      p99: result.p99,
      ratio: times(result.rps, floor.rps, "floor"),
      note: problems(result).slice(3),
    });
  }
  report({ scenario: "procedure", case: "HTTP floor (same bytes)", rps: floor.rps, p50: floor.p50, p99: floor.p99, ratio: "baseline" });
}
