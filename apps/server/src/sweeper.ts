import type { FastifyInstance } from "fastify";
import { sweepBroadcasts, type Services } from "@onair/api";

/**
 * Ends broadcasts whose creator is gone, every few seconds. Safe on many instances at once: each
 * sweep is an atomic UPDATE, so a broadcast is ended (and its room deleted) by one instance only.
 */
export function startSweeper(app: FastifyInstance, services: Services, intervalMs: number) {
  if (intervalMs <= 0) return;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepBroadcasts(services)
      .catch((error: unknown) => app.log.error({ err: error }, "broadcast sweep failed"))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  app.addHook("onClose", async () => clearInterval(timer));
}
