import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { freePort } from "./test-server";

const PGBIN = "/usr/lib/postgresql/15/bin";

/** Why a throwaway PostgreSQL cluster cannot run here (null: it can). */
export const clusterUnavailable = !existsSync(`${PGBIN}/initdb`)
  ? `no PostgreSQL binaries in ${PGBIN}`
  : process.getuid?.() !== 0
    ? "needs root to run PostgreSQL as the postgres user (runuser)"
    : null;

/**
 * A PostgreSQL cluster of a test's own (never the shared one), in a fresh /tmp folder, that the test
 * may stop and start at will. `close()` stops it and removes the folder.
 */
export async function startCluster() {
  const root = mkdtempSync("/tmp/onair-cluster-");
  const data = path.join(root, "data");
  const port = await freePort();
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"]).toString());
  chownSync(root, id("-u"), id("-g"));
  const asPostgres = (binary: string, ...args: string[]) =>
    execFileSync("runuser", ["-u", "postgres", "--", `${PGBIN}/${binary}`, ...args], { stdio: "ignore" });
  const pgctl = (...args: string[]) => asPostgres("pg_ctl", "-D", data, ...args);
  const start = () =>
    pgctl("-l", path.join(root, "log"), "-w", "-o", `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off`, "start");
  asPostgres("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8");
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    /** `pg_ctl stop` in `mode` (fast: clients are told; immediate: as a crash), waiting until it is down. */
    stop: (mode: "fast" | "immediate") => pgctl("-m", mode, "-w", "stop"),
    close() {
      try {
        pgctl("-m", "immediate", "stop");
      } catch {
        // already stopped
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
