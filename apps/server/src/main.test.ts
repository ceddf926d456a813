import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./testing";

/**
 * The real server process, compiled as `npm start` runs it (`npm run build`, then `node dist/main.js`),
 * on an embedded database in a temporary DATA_DIR: one process per directory, clean shutdown on
 * SIGTERM, and a crashed process's lock taken over.
 */

const serverDir = fileURLToPath(new URL("..", import.meta.url));
const scripts = (JSON.parse(readFileSync(path.join(serverDir, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
const bundle = path.join(serverDir, "dist", "main.js");
const dataDir = mkdtempSync(path.join(tmpdir(), "onair-main-"));
const lockFile = path.join(dataDir, "onair.lock");
const started: ChildProcess[] = [];

beforeAll(async () => {
  // The build `npm start` runs first (turbo's build task for @onair/server).
  await promisify(execFile)(process.execPath, ["build.js"], { cwd: serverDir });
});

afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

interface Server {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startServer(): Promise<Server> {
  const port = await freePort();
  const livekitPort = await freePort(); // nothing listens there: LiveKit is unreachable
  // Never inherit a database URL (this test is about the embedded database and its DATA_DIR), nor
  // NODE_OPTIONS: nothing but the start script's own command line decides what node loads.
  const { DATABASE_URL: _d, TEST_DATABASE_URL: _t, NODE_OPTIONS: _n, LIVEKIT_API_URL: _l, ...inherited } = process.env;
  const [command, ...args] = scripts.start!.split(" ");
  expect(command).toBe("node");
  const child = spawn(process.execPath, args, {
    cwd: serverDir,
    env: {
      ...inherited,
      NODE_ENV: "test",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      LOG_LEVEL: "info", // for the "OnAir is ready" line
      SWEEP_INTERVAL_MS: "0",
      LIVEKIT_URL: `ws://127.0.0.1:${livekitPort}`,
      WEB_DIST: path.join(dataDir, "no-web"),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, port, output: () => output, exited };
}

async function health(port: number): Promise<{ status: number; body: unknown } | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
    return { status: res.status, body: await res.json() };
  } catch {
    return null;
  }
}

/** Waits for the server's own "OnAir is ready" log line (the first start runs initdb: several seconds). */
function ready(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (server.output().includes('"msg":"OnAir is ready')) {
        server.child.stdout!.off("data", check);
        resolve();
      }
    };
    server.child.stdout!.on("data", check);
    check();
    void server.exited.then(() => reject(new Error(`server exited before it was ready:\n${server.output()}`)));
  });
}

async function waitHealthy(server: Server, timeoutMs = 90_000): Promise<void> {
  await within(ready(server), timeoutMs, "server ready").catch((error: Error) => {
    throw new Error(`${error.message}\n${server.output()}`);
  });
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);
}

const healthy = { status: 200, body: { status: "ok", database: "ok", livekit: "unreachable", bus: "postgres" } };

describe("the server process", { timeout: 180_000 }, () => {
  it("is compiled JavaScript run by plain node: no tsx, no TypeScript at run time", () => {
    expect(scripts.start).toBe("node dist/main.js");
    const compiled = readFileSync(bundle, "utf8");
    expect(compiled).not.toMatch(/["'/]tsx["'/]/);
    // Workspace packages export .ts sources: they must be inside the bundle, not imported from it.
    expect(compiled).not.toMatch(/from\s+"[^"]*\.tsx?"|import\("[^"]*\.tsx?"\)|from\s+"@onair\//);
    expect(existsSync(path.join(serverDir, "dist", "drizzle", "meta", "_journal.json"))).toBe(true);
  });

  it("holds DATA_DIR alone, refuses a second process, and shuts down cleanly on SIGTERM", async () => {
    const first = await startServer();
    await waitHealthy(first);
    expect(await health(first.port)).toEqual(healthy);
    expect(existsSync(lockFile)).toBe(true);
    // Started with the public development defaults: one loud line says so.
    await expect.poll(() => first.output(), { timeout: 10_000 }).toMatch(/DEVELOPMENT SERVER: .* public default/);
    // One clear warning at start: LiveKit's API does not answer (what to do is in it too).
    await expect.poll(() => first.output(), { timeout: 15_000 }).toContain("LiveKit is not answering");
    expect(first.output().match(/LiveKit is not answering at http:\/\/127\.0\.0\.1:\d+/g)).toHaveLength(1);
    expect(first.output()).toContain("livekit-server --dev");

    // Something real goes through the first server before the second one tries.
    const signUp = await fetch(`http://127.0.0.1:${first.port}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: `http://localhost:${first.port}` },
      body: JSON.stringify({ email: "proc@example.com", password: "process-pass-1", name: "proc", username: "proc" }),
    });
    expect(signUp.status).toBe(200);

    const second = await startServer();
    const outcome = await within(second.exited, 30_000, "second server exit");
    expect(outcome.code).not.toBe(0);
    expect(outcome.code).not.toBeNull();
    expect(second.output()).toMatch(/DATA_DIR/);
    expect(second.output()).toContain(dataDir);
    expect(second.output()).toContain(`pid ${first.child.pid}`);
    expect(await health(second.port)).toBeNull(); // it never listened

    // The first one never noticed.
    expect(await health(first.port)).toEqual(healthy);
    expect(first.child.exitCode).toBeNull();

    const stopAt = Date.now();
    first.child.kill("SIGTERM");
    const stopped = await within(first.exited, 5_000, "SIGTERM shutdown");
    expect(stopped).toEqual({ code: 0, signal: null });
    expect(Date.now() - stopAt).toBeLessThan(5_000);
    expect(existsSync(lockFile)).toBe(false);
    expect(await health(first.port)).toBeNull();
  });

  it("reopens the same DATA_DIR with its data, and takes over at once the lock of a killed process", async () => {
    const crashed = await startServer();
    await waitHealthy(crashed);
    crashed.child.kill("SIGKILL"); // no chance to release anything
    await crashed.exited;
    expect(existsSync(lockFile)).toBe(true);

    const next = await startServer();
    await waitHealthy(next, 60_000);
    // The account created by the first test's server is still there: sign in with it.
    const signIn = await fetch(`http://127.0.0.1:${next.port}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: `http://localhost:${next.port}` },
      body: JSON.stringify({ email: "proc@example.com", password: "process-pass-1" }),
    });
    expect(signIn.status).toBe(200);
    expect(signIn.headers.get("set-auth-token")).toBeTruthy();

    next.child.kill("SIGINT");
    expect(await within(next.exited, 5_000, "SIGINT shutdown")).toEqual({ code: 0, signal: null });
    expect(existsSync(lockFile)).toBe(false);
  });
});
