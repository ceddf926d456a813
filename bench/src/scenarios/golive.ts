import { dbKinds, openBenchDatabase, startOnAir } from "../lib/onair";
import { report, times } from "../lib/report";
import { makeCreators } from "../lib/seed";

const ROUNDS = 100;

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * `stream.goLive` server time (Fastify's elapsed time for the request), sequential calls through the real
 * client: going live from offline (then `stream.end`), and resuming while live. Baseline: `gift.catalog`.
 */
export async function golive() {
  for (const kind of dbKinds()) {
    const database = await openBenchDatabase(kind);
    const seen: { url: string; ms: number }[] = [];
    const server = await startOnAir(database.handle, { onResponse: (url, ms) => void seen.push({ url, ms }) });
    /** The server time of the latest response to `path` (the hook runs as the response finishes). */
    async function serverTime(path: string): Promise<number> {
      await new Promise((resolve) => setImmediate(resolve));
      const hit = seen.findLast((entry) => entry.url.startsWith(`/trpc/${path}`));
      seen.length = 0;
      if (!hit) throw new Error(`no response to ${path} was seen`);
      return hit.ms;
    }
    try {
      const [creator] = await makeCreators(server, ["golive_creator"]);
      const client = creator!.client;
      const fresh: number[] = [];
      const resume: number[] = [];
      const trivial: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        await client.stream.goLive.mutate();
        fresh.push(await serverTime("stream.goLive"));
        await client.stream.goLive.mutate();
        resume.push(await serverTime("stream.goLive"));
        await client.gift.catalog.query();
        trivial.push(await serverTime("gift.catalog"));
        await client.stream.end.mutate();
      }
      const base = percentile(trivial, 50);
      for (const [label, values] of [
        ["from offline", fresh],
        ["resume while live", resume],
      ] as const) {
        const p50 = percentile(values, 50);
        report({
          scenario: "golive",
          case: `${label} on ${kind} (${ROUNDS} calls)`,
          rps: null,
          p50,
          p99: percentile(values, 99),
          ratio: times(p50, base, "gift.catalog (p50)"),
        });
      }
      report({
        scenario: "golive",
        case: `gift.catalog on ${kind}, same client`,
        rps: null,
        p50: base,
        p99: percentile(trivial, 99),
        ratio: "baseline",
      });
    } finally {
      await server.close();
      await database.handle.close();
    }
  }
}
