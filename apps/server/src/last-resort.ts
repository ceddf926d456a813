import type { EventEmitter } from "node:events";

type Log = { error(context: object, message: string): void; fatal(context: object, message: string): void };

/**
 * The process's last resort (main.ts), for errors nothing else handled: each is logged with its context
 * through the app's logger (request data is never in it, so no secret is), never lost silently.
 * - An uncaught exception still ends the process (exit 1) after the line: its state is unknown, and a
 *   supervisor starts a fresh one.
 * - An unhandled promise rejection is a bug too: outside production it ends the process the same way,
 *   so tests and development fail loudly on it; in production the server logs it and keeps serving.
 */
export function installLastResort(options: {
  log: () => Log;
  production: boolean;
  exit?: (code: number) => void;
  target?: EventEmitter;
}): void {
  const { log, production, exit = (code) => process.exit(code), target = process } = options;
  target.on("unhandledRejection", (reason: unknown) => {
    const what = production ? "the server keeps serving" : "stopping (outside production)";
    log().error({ err: reason, event: "unhandledRejection" }, `unhandled promise rejection, a bug: ${what}`);
    if (!production) exit(1);
  });
  target.on("uncaughtException", (error: unknown, origin: unknown) => {
    log().fatal({ err: error, event: "uncaughtException", origin }, "uncaught exception, a bug: stopping");
    exit(1);
  });
}
