/* eslint-disable no-restricted-properties -- the bench chooses its databases and run length here */

/** PostgreSQL for the second run of each scenario, when the environment names one. */
export const postgresUrl = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;

/** Seconds per load run; `BENCH_DURATION` overrides the per-scenario default. */
export function runSeconds(fallback: number): number {
  const value = Number(process.env.BENCH_DURATION);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Also run the load generator inside the server's process (for comparison; the report uses the child process). */
export const alsoInProcess = process.env.BENCH_IN_PROCESS === "1";

/** `TRPC_FAST_LANE=off npm run bench -- storm` measures the server with tRPC served by its Fastify adapter only. */
export const trpcFastLane = process.env.TRPC_FAST_LANE === "off" ? "off" : "on";

/** The fanout scenario's size: `FANOUT_SUBSCRIBERS`, `FANOUT_RATE` (messages/s), `FANOUT_SECONDS`, `FANOUT_LOADERS` (load processes). */
export const fanoutSettings = {
  subscribers: Number(process.env.FANOUT_SUBSCRIBERS ?? 10_000),
  rate: Number(process.env.FANOUT_RATE ?? 50),
  seconds: Number(process.env.FANOUT_SECONDS ?? 10),
  loaders: Number(process.env.FANOUT_LOADERS ?? 4),
};

/** Followers of the channel in the `alerts` scenario (`BENCH_ALERT_FOLLOWERS`; issue 26 asks for 100,000). */
export const alertFollowers = Number(process.env.BENCH_ALERT_FOLLOWERS) > 0 ? Number(process.env.BENCH_ALERT_FOLLOWERS) : 100_000;

/** `BENCH_PROFILE=/some/dir`: the server's CPU profile during each profiled load run, written there and summarised. */
export const profileDir = process.env.BENCH_PROFILE || undefined;
