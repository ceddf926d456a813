import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

/**
 * The real server process (`node --import tsx src/main.ts`) on an embedded database in a temporary
 * DATA_DIR: one process per directory, clean shutdown on SIGTERM, and a crashed process's lock taken over.
 */

const serverDir = fileURLToPath(new URL("..", import.meta.url));
const dataDir = mkdtempSync(path.join(tmpdir(), "onair-main-"));
const lockFile = path.join(dataDir, "onair.lock");
const started: ChildProcess[] = [];

afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

interface Server {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startServer(): Promise<Server> {
  const port = await freePort();
  // Never inherit a database URL: this test is about the embedded database and its DATA_DIR.
  const { DATABASE_URL: _d, TEST_DATABASE_URL: _t, ...inherited } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: serverDir,
    env: {
      ...inherited,
      NODE_ENV: "test",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      SWEEP_INTERVAL_MS: "0",
      WEB_DIST: path.join(dataDir, "no-web"),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
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

/** Polls /healthz until it answers 200 (the first start runs initdb: several seconds). */
async function waitHealthy(server: Server, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void server.exited.then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) throw new Error(`server exited before it was healthy:\n${server.output()}`);
    const answer = await health(server.port);
    if (answer?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`server not healthy after ${timeoutMs} ms:\n${server.output()}`);
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)),
  ]);
}

describe("the server process", { timeout: 180_000 }, () => {
  it("holds DATA_DIR alone, refuses a second process, and shuts down cleanly on SIGTERM", async () => {
    const first = await startServer();
    await waitHealthy(first);
    expect(await health(first.port)).toEqual({ status: 200, body: { status: "ok" } });
    expect(existsSync(lockFile)).toBe(true);

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
    expect(await health(first.port)).toEqual({ status: 200, body: { status: "ok" } });
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
