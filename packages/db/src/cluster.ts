import { execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

/**
 * A throwaway PostgreSQL cluster a test starts, stops and restarts itself (never the shared server):
 * for outages. Needs Debian's PostgreSQL binaries and root (the server runs as the postgres user).
 */
const PGBIN = newestPostgresBin();

/** Debian's newest installed PostgreSQL (`/usr/lib/postgresql/<major>/bin`), as `.ci/run` picks it. */
function newestPostgresBin(): string | null {
  const root = "/usr/lib/postgresql";
  const majors = existsSync(root) ? readdirSync(root).filter((name) => existsSync(`${root}/${name}/bin/initdb`)) : [];
  const newest = majors.sort((a, b) => Number(a) - Number(b)).at(-1);
  return newest ? `${root}/${newest}/bin` : null;
}

/** Why a throwaway cluster cannot run here, or null when it can (for `describe.skipIf`). */
export const throwawayClusterUnavailable: string | null = !PGBIN
  ? "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin"
  : process.getuid?.() !== 0
    ? "needs root to run PostgreSQL as the postgres user (runuser)"
    : null;

export interface ThrowawayCluster {
  url: string;
  /** Starts the server again: resolves when it accepts connections. */
  start(): Promise<void>;
  /** `pg_ctl stop -m <mode>`: resolves when it is down (the event loop keeps running meanwhile). */
  stop(mode?: "fast" | "immediate" | "smart"): Promise<void>;
  /** Stops it if it runs and deletes its files. */
  remove(): Promise<void>;
}

/**
 * A TCP port free on 127.0.0.1 right now (PUBLIC_URL and a throwaway cluster must name their port
 * before they start): the one copy every test harness uses (`@onair/server/testing` re-exports it).
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export async function startThrowawayCluster(prefix = "onair-pg-"): Promise<ThrowawayCluster> {
  const root = mkdtempSync(path.join("/tmp", prefix));
  const data = path.join(root, "data");
  const port = await freePort();
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"]).toString());
  chownSync(root, id("-u"), id("-g"));
  execFileSync("runuser", ["-u", "postgres", "--", `${PGBIN}/initdb`, "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"], {
    stdio: "ignore",
  });
  // Asynchronous, so in-process servers keep running while PostgreSQL starts or stops.
  const pgctl = (...args: string[]) =>
    new Promise<void>((resolve, reject) =>
      spawn("runuser", ["-u", "postgres", "--", `${PGBIN}/pg_ctl`, "-D", data, ...args], { stdio: "ignore" })
        .on("error", reject)
        .on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`pg_ctl ${args.at(-1)} exited with ${code}`)))),
    );
  const cluster: ThrowawayCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () =>
      pgctl("-l", path.join(root, "log"), "-w", "-o", `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off`, "start"),
    stop: (mode = "fast") => pgctl("-m", mode, "-w", "stop"),
    async remove() {
      await cluster.stop("immediate").catch(() => {}); // already stopped
      rmSync(root, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}
