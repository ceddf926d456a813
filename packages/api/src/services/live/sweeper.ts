import { sql } from "drizzle-orm";
import { reconcileViewerCounts, sweepBroadcasts, type EndedBroadcast } from "./broadcasts";
import type { Services } from "../types";

/** Viewer counts are checked against LiveKit's participant lists every this many sweeps. */
const RECONCILE_EVERY = 6;

/**
 * Every open broadcast's silence starts again now: what fell inside an outage of ours (the database
 * unreachable, so heartbeats failed on our side) is not the creator's silence. Idempotent, so every
 * instance coming back may run it.
 */
export async function forgiveOutage(services: Pick<Services, "db">): Promise<void> {
  await services.db.execute(sql`
    update broadcast
       set last_heartbeat_at = greatest(last_heartbeat_at, now()),
           creator_left_at = case when creator_left_at is null then null else greatest(creator_left_at, now()) end
     where ended_at is null`);
}

/**
 * The sweeper, one per instance: ends broadcasts whose creator is gone (`sweepBroadcasts`) and now and
 * then corrects viewer counts. Fair to creators: a sweep that fails (database unreachable) marks an
 * outage, and the first sweep that works again forgives the silence before judging anyone. LiveKit
 * never holds up ending broadcasts: reconciling runs in its own lane.
 */
export function createSweeper(services: Services) {
  let outageSince: Date | null = null;
  let ticks = 0;
  let reconciling: Promise<unknown> | null = null;

  /** Starts reconciling viewer counts unless it is under way; resolves when this round is done. */
  function reconcile(using: Services = services): Promise<unknown> {
    reconciling ??= reconcileViewerCounts(using)
      .catch((error: unknown) => services.log.error({ err: error }, "viewer count reconcile failed"))
      .finally(() => (reconciling = null));
    return reconciling;
  }

  return {
    reconcile,
    /** When this instance last failed to reach the database, while the outage lasts. */
    get outageSince() {
      return outageSince;
    },
    /** One sweep (`using` replaces the services, e.g. with an unreachable database in tests). */
    async sweep(using: Services = services): Promise<EndedBroadcast[]> {
      try {
        if (outageSince) {
          await forgiveOutage(using);
          services.log.info({ since: outageSince.toISOString() }, "database reachable again: silence during the outage forgiven");
          outageSince = null;
        }
        const ended = await sweepBroadcasts(using);
        if (++ticks % RECONCILE_EVERY === 0) void reconcile(using);
        return ended;
      } catch (error) {
        outageSince ??= new Date();
        throw error;
      }
    },
  };
}
export type Sweeper = ReturnType<typeof createSweeper>;
