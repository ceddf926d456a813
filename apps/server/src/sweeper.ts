import type { FastifyInstance } from "fastify";
import { reconcileViewerCounts, sweepBroadcasts, type Services } from "@onair/api";

/** Viewer counts are checked against LiveKit's participant lists every this many sweeps. */
const RECONCILE_EVERY = 6;

/**
 * Ends broadcasts whose creator is gone, every few seconds, and now and then corrects viewer counts. Safe on many instances at once: each
 * sweep is an atomic UPDATE, so a broadcast is ended (and its room deleted) by one instance only.
 */
export function startSweeper(app: FastifyInstance, services: Services, intervalMs: number) {
  if (intervalMs <= 0) return;
  let running = false;
  let ticks = 0;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    ticks++;
    sweepBroadcasts(services)
      .then(() => (ticks % RECONCILE_EVERY === 0 ? reconcileViewerCounts(services) : 0))
      .catch((error: unknown) => app.log.error({ err: error }, "broadcast sweep failed"))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  app.addHook("onClose", async () => clearInterval(timer));
}
