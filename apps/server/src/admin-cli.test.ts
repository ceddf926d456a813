import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_PASSWORD } from "@onair/api/testing";
import { eq } from "drizzle-orm";
import { lockDataDir, user } from "@onair/db";
import { createTestDatabase, type TestDatabaseHandle } from "@onair/db/testing";
import { parseAdminArgs, runAdminCommand } from "./admin-cli";
import { buildApp } from "./app";
import { testEnv } from "./test/env";

/** `npm run admin -- grant|revoke <email or username>`: in-process, and as the process an operator runs. */

const serverDir = fileURLToPath(new URL("..", import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), "onair-admin-cli-"));
let handle: TestDatabaseHandle;
let app: Awaited<ReturnType<typeof buildApp>>;
const env = testEnv({ ADMIN_EMAILS: "someone-else@example.com,listed_op@example.com" });

beforeAll(async () => {
  handle = await createTestDatabase();
  app = await buildApp({ env, database: handle });
});
afterAll(async () => {
  await app?.close();
  await handle?.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function signUp(username: string) {
  const res = await app.inject({
    method: "POST",
    url: "/api/auth/sign-up/email",
    headers: { "content-type": "application/json" },
    payload: JSON.stringify({ email: `${username}@example.com`, password: TEST_PASSWORD, name: username, username }),
  });
  expect(res.statusCode).toBe(200);
  return { authorization: `Bearer ${String(res.headers["set-auth-token"])}` };
}

/** The role the running app sees for this session (through its session cache). */
async function roleSeen(headers: Record<string, string>) {
  const res = await app.inject({ method: "GET", url: "/trpc/account.me", headers });
  return res.json<{ result: { data: { json: { role: string } } } }>().result.data.json.role;
}

function capture() {
  const lines = { out: [] as string[], err: [] as string[] };
  return { lines, io: { out: (line: string) => lines.out.push(line), err: (line: string) => lines.err.push(line) } };
}

/** The real command, as `npm run admin --` runs it, in this environment. */
function runCli(args: string[], env: Record<string, string>) {
  const { DATABASE_URL: _d, TEST_DATABASE_URL: _t, ...inherited } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", "src/admin-cli.ts", ...args], {
    cwd: serverDir,
    env: { ...inherited, NODE_ENV: "test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise<{ code: number | null; output: string }>((resolve) => child.on("close", (code) => resolve({ code, output })));
}

describe("admin grant / revoke", () => {
  it("reads grant/revoke and one login; anything else is a usage error", () => {
    expect(parseAdminArgs(["grant", "alice"])).toEqual({ role: "admin", login: "alice" });
    expect(parseAdminArgs(["revoke", "a@example.com"])).toEqual({ role: "user", login: "a@example.com" });
    for (const args of [[], ["grant"], ["promote", "alice"], ["grant", "a", "b"], ["grant", " "]])
      expect(parseAdminArgs(args), args.join(" ")).toBeNull();
  });

  it("grants by username and revokes by email; the running app sees each change on its next call", async () => {
    const headers = await signUp("operator");
    expect(await roleSeen(headers)).toBe("user"); // now cached by the app
    const { lines, io } = capture();
    expect(await runAdminCommand(handle.db, { role: "admin", login: "Operator" }, io)).toBe(0);
    expect(lines.out).toEqual(["operator (operator@example.com) is now an admin."]);
    expect(await roleSeen(headers)).toBe("admin");
    expect(await runAdminCommand(handle.db, { role: "user", login: "OPERATOR@example.com" }, io)).toBe(0);
    expect(lines.out.at(-1)).toBe("operator (operator@example.com) is no longer an admin.");
    expect(await roleSeen(headers)).toBe("user");
    expect(await runAdminCommand(handle.db, { role: "user", login: "operator" }, io)).toBe(0);
    expect(lines.out.at(-1)).toBe("operator (operator@example.com) is not an admin; it stays a user until `grant`.");
    expect(lines.err).toEqual([]);
  });

  it("revoke holds whatever ADMIN_EMAILS says (a profile change does not bring the role back), and warns while the address is listed", async () => {
    const headers = await signUp("listed_op"); // listed: admin from sign-up outside production
    await handle.db.update(user).set({ emailVerified: true }).where(eq(user.username, "listed_op"));
    expect(await roleSeen(headers)).toBe("admin");
    const { lines, io } = capture();
    expect(await runAdminCommand(handle.db, { role: "user", login: "listed_op" }, io, env.ADMIN_EMAILS)).toBe(0);
    expect(lines.out).toEqual(["listed_op (listed_op@example.com) is no longer an admin."]);
    expect(lines.err).toEqual([
      expect.stringMatching(/^warning: listed_op@example\.com is still listed in ADMIN_EMAILS\. The revoke holds/),
    ]);
    const renamed = await app.inject({
      method: "POST",
      url: "/api/auth/update-user",
      headers: { ...headers, "content-type": "application/json", origin: "http://localhost:3000" },
      payload: JSON.stringify({ name: "Renamed operator" }),
    });
    expect(renamed.statusCode).toBe(200);
    expect(await roleSeen(headers)).toBe("user");
    // Not listed: no warning.
    await signUp("unlisted_op");
    const quiet = capture();
    await runAdminCommand(handle.db, { role: "user", login: "unlisted_op" }, quiet.io, env.ADMIN_EMAILS);
    expect(quiet.lines.err).toEqual([]);
  });

  it("an unknown account is exit 1 with a message naming it", async () => {
    const { lines, io } = capture();
    expect(await runAdminCommand(handle.db, { role: "admin", login: "ghost@example.com" }, io)).toBe(1);
    expect(lines.err).toEqual(['No account with the email or username "ghost@example.com".']);
  });

  it("with PGlite, refuses (exit 1, saying why) while a running server holds DATA_DIR", async () => {
    const dataDir = path.join(scratch, "held");
    const release = lockDataDir(dataDir); // as a running server does
    try {
      const { code, output } = await runCli(["grant", "anyone"], { DATA_DIR: dataDir });
      expect(code).toBe(1);
      expect(output).toMatch(/running OnAir server \(pid \d+\) holds DATA_DIR/);
      expect(output).toContain(dataDir);
    } finally {
      release();
    }
  }, 60_000);

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    "with PostgreSQL, works while the server runs, which sees the new role at once",
    async () => {
      const headers = await signUp("remote_op");
      expect(await roleSeen(headers)).toBe("user");
      const granted = await runCli(["grant", "remote_op@example.com"], { DATABASE_URL: handle.url! });
      expect(granted).toEqual({ code: 0, output: "remote_op (remote_op@example.com) is now an admin.\n" });
      // The NOTIFY reaches the app's LISTEN connection asynchronously: wait for it (generous deadline).
      await expect.poll(() => roleSeen(headers), { timeout: 10_000 }).toBe("admin");
      const revoked = await runCli(["revoke", "REMOTE_OP"], { DATABASE_URL: handle.url! });
      expect(revoked.code).toBe(0);
      await expect.poll(() => roleSeen(headers), { timeout: 10_000 }).toBe("user");
      const unknown = await runCli(["grant", "nobody_here"], { DATABASE_URL: handle.url! });
      expect(unknown.code).toBe(1);
      expect(unknown.output).toContain('No account with the email or username "nobody_here".');
    },
    120_000,
  );
});
