import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createConnection, createServer, type Server } from "node:net";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { testDatabaseUrl, until } from "@onair/db/testing";
import { freePort } from "./testing";

/**
 * Starting while PostgreSQL is not up yet: the real server process says it is waiting (one plain line,
 * no stack trace), retries, and is ready as soon as the database answers.
 */
if (!testDatabaseUrl)
  console.log("start.test.ts skipped on PGlite: it starts a server against a PostgreSQL that comes up late (set TEST_DATABASE_URL)");

const serverDir = fileURLToPath(new URL("..", import.meta.url));
const children: ChildProcess[] = [];
const servers: Server[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const server of servers) server.close();
});

describe.skipIf(!testDatabaseUrl)("starting before the database is up (PostgreSQL)", () => {
  it("prints a friendly waiting line, no stack trace, and serves once the database answers", async () => {
    const target = new URL(testDatabaseUrl!);
    const name = `onair_test_${randomBytes(6).toString("hex")}`;
    const admin = postgres(testDatabaseUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    try {
      // The "database" port: nothing listens there until the test opens a relay to the real server.
      const dbPort = await freePort();
      const url = new URL(testDatabaseUrl!);
      url.port = String(dbPort);
      url.pathname = `/${name}`;
      const port = await freePort();
      const { TEST_DATABASE_URL: _t, ...inherited } = process.env;
      const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
        cwd: serverDir,
        env: {
          ...inherited,
          NODE_ENV: "test",
          PORT: String(port),
          HOST: "127.0.0.1",
          DATABASE_URL: url.toString(),
          LOG_LEVEL: "info",
          SWEEP_INTERVAL_MS: "0",
          WEB_DIST: "/nonexistent",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      children.push(child);
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));

      await until(
        () => output.includes("Waiting for the database"),
        60_000,
        () => output,
      );
      expect(output).toContain(`Waiting for the database at 127.0.0.1:${dbPort}/${name} (ECONNREFUSED)`);
      expect(output).not.toMatch(/^\s+at /m);
      expect(child.exitCode).toBeNull();

      // The database "comes up": a relay to the real server on that port.
      const relay = createServer((socket) => {
        const upstream = createConnection(Number(target.port || 5432), target.hostname);
        socket.pipe(upstream).pipe(socket);
        const close = () => (socket.destroy(), upstream.destroy());
        socket.on("error", close).on("close", close);
        upstream.on("error", close).on("close", close);
      });
      servers.push(relay);
      await new Promise<void>((resolve) => relay.listen(dbPort, "127.0.0.1", resolve));
      await until(
        () => output.includes("OnAir is ready"),
        60_000,
        () => output,
      );
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(200);
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    } finally {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
