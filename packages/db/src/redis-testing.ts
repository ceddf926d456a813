import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { freePort } from "./cluster";

const REDIS_SERVER = "/usr/bin/redis-server";

/** Why a throwaway Redis cannot run here, or null when it can (for `describe.skipIf`). */
export const throwawayRedisUnavailable: string | null = existsSync(REDIS_SERVER)
  ? null
  : `no ${REDIS_SERVER} (Debian's redis-server package; .ci/run installs it)`;

export interface ThrowawayRedis {
  url: string;
  /** Starts it again on the same port (no data: nothing is saved). Resolves when it accepts connections. */
  start(): Promise<void>;
  /** Kills it at once (as a crash would): resolves when the process is gone. */
  stop(): Promise<void>;
}

/** Debian's redis-server on a free loopback port, nothing saved to disk; tests stop and restart it themselves. */
export async function startThrowawayRedis(): Promise<ThrowawayRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "notice"];
      const started = spawn(REDIS_SERVER, args, { stdio: ["ignore", "pipe", "inherit"] });
      child = started;
      let seen = "";
      started.stdout.on("data", (chunk: Buffer) => {
        if (seen.length > 10_000) return; // ready long since; the pipe is still drained
        seen += chunk.toString();
        if (seen.includes("Ready to accept connections")) resolve();
      });
      started.once("error", reject);
      started.once("exit", (code) => reject(new Error(`redis-server exited (${code}) before it was ready: ${seen.slice(-500)}`)));
    });
  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once("exit", () => resolve());
      running.kill("SIGKILL");
    });
  };
  await start();
  process.once("exit", () => void child?.kill("SIGKILL"));
  return { url: `redis://127.0.0.1:${port}`, start, stop };
}
