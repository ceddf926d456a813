import type { FastifyInstance } from "fastify";
import { createSweeper, type Services } from "@onair/api";

/**
 * Sweeps every `intervalMs` (see `createSweeper`: fair to creators through outages, never held up by
 * LiveKit). Safe on many instances at once: each sweep is an atomic UPDATE, so a broadcast is ended
 * (and its room deleted) by one instance only.
 */
export function startSweeper(app: FastifyInstance, services: Services, intervalMs: number) {
  if (intervalMs <= 0) return;
  const sweeper = createSweeper(services);
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweeper
      .sweep()
      .catch((error: unknown) => app.log.error({ err: error }, "broadcast sweep failed"))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  app.addHook("onClose", async () => clearInterval(timer));
}
