import { databaseBus, openRedisBus, type Bus, type DatabaseHandle } from "@onair/db";
import type { Env } from "./env";

/** How long start-up waits for Redis (BUS_URL) before giving up, as for the database. */
export const BUS_WAIT_MS = 60_000;

export interface BusLog {
  info(context: object, message: string): void;
  warn(context: object, message: string): void;
}

/** Where a Redis URL points, without its credentials (logs). */
export const describeRedisUrl = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 6379}`;
};

/**
 * The bus this environment asks for: PostgreSQL's LISTEN/NOTIFY on `handle` (BUS_URL unset), or Redis,
 * listening before this resolves (waiting up to `waitMs`, then an error naming BUS_URL). Redis going
 * away later is logged; instances catch up from the tables when it is back.
 */
export async function openBus(env: Pick<Env, "BUS_URL">, handle: DatabaseHandle, log: () => BusLog, waitMs = BUS_WAIT_MS): Promise<Bus> {
  if (!env.BUS_URL) return databaseBus(handle);
  const where = describeRedisUrl(env.BUS_URL);
  const bus = openRedisBus(env.BUS_URL, handle.db, {
    onState(state, reason) {
      if (state === "unreachable") log().warn({ bus: "redis", reason }, `Redis (BUS_URL ${where}) is unreachable; retrying`);
      else log().info({ bus: "redis" }, `listening on Redis (BUS_URL ${where})`);
    },
  });
  // Listening on nothing yet: a subscription that opens before the bus listens would miss events.
  const probe = await bus.listen("onair_bus_probe", () => {});
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), waitMs)));
  const outcome = await Promise.race([bus.ready(), late]);
  clearTimeout(timer);
  await probe();
  if (outcome === "late") {
    await bus.close();
    throw new Error(`BUS_URL: Redis at ${where} did not answer within ${waitMs / 1000} s`);
  }
  return bus;
}
