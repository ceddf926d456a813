import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  createTestDatabase,
  freePort,
  startThrowawayRedis,
  testDatabaseUrl,
  throwawayRedisUnavailable,
  until,
  type TestDatabaseHandle,
  type ThrowawayRedis,
} from "@onair/db/testing";

/**
 * `BUS_URL` at start (issue 24), with the real server process: with Redis the start log and `/healthz`
 * name the bus (a BUS_URL that is not redis:// is refused by env.ts: env.test.ts).
 */
const why = !testDatabaseUrl ? "needs a PostgreSQL server (TEST_DATABASE_URL)" : throwawayRedisUnavailable;
if (why) console.log(`bus-start.test.ts skipped: ${why}`);

const serverDir = fileURLToPath(new URL("..", import.meta.url));
const children: ChildProcess[] = [];
let database: TestDatabaseHandle | undefined;
let redis: ThrowawayRedis | undefined;
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await database?.close();
  await redis?.stop();
});

async function start(env: Record<string, string>) {
  const { TEST_DATABASE_URL: _t, ...inherited } = process.env;
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: serverDir,
    env: {
      ...inherited,
      NODE_ENV: "test",
      PORT: String(port),
      LOG_LEVEL: "info",
      SWEEP_INTERVAL_MS: "0",
      WEB_DIST: "/nonexistent",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { port, child, output: () => output, exited };
}

describe.skipIf(why !== null)("BUS_URL at start (real process)", () => {
  it("on Redis: the start log and /healthz name the bus", async () => {
    [database, redis] = await Promise.all([createTestDatabase(), startThrowawayRedis()]);
    const server = await start({ DATABASE_URL: database.url!, BUS_URL: redis.url });
    await until(
      () => server.output().includes("OnAir is ready"),
      60_000,
      () => server.output(),
    );
    expect(server.output()).toMatch(/"bus":"redis".*OnAir is ready \(events between instances: Redis\)/);
    expect(await (await fetch(`http://127.0.0.1:${server.port}/healthz`)).json()).toMatchObject({ status: "ok", bus: "redis" });
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });
});
