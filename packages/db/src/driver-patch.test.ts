import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startThrowawayCluster, throwawayClusterUnavailable as why, type ThrowawayCluster } from "./testing";

/**
 * postgres.js 3.4.9 kills the process when the server ends a connection inside a transaction (what
 * `pg_ctl stop -m fast` does to every session): sql.begin sends ROLLBACK on the closed connection, its
 * write is scheduled with setImmediate and runs `socket.write` on a socket that is now null —
 * "TypeError: Cannot read properties of null (reading 'write')", thrown where no caller can catch it.
 * Upstream: https://github.com/porsager/postgres/issues/1066 (also #1154, #1208; unmerged guards in
 * PRs #1168 and #1176). `patches/postgres+3.4.9.patch` (applied by the root `postinstall`) guards the
 * write, fails a query sent to a closed connection at once (else the pool parks that connection and
 * later queries hang), and keeps a dead socket's query and error from answering the next one.
 *
 * Each case runs in its own Node process, loading postgres as the app does (from this package),
 * so the crash shows as a dead process; without the patch every case here fails.
 */
const script = (load: string) => `
${load}
const sql = postgres(process.env.URL, { max: 1, onnotice: () => {}, connect_timeout: 3 });
const code = (error) => error.code;
const out = { resolved: RESOLVED };
// The server ends the session inside a transaction (FATAL 57P01, as pg_ctl stop -m fast does).
out.transaction = await sql.begin((tx) => tx\`select pg_terminate_backend(pg_backend_pid())\`).then(() => "committed", code);
// ... and outside one: that query's error must not answer the next query.
out.query = await sql\`select pg_terminate_backend(pg_backend_pid())\`.then(() => "answered", code);
// The one connection comes back, each answer belonging to its own query.
out.after = [];
for (let i = 0; i < 3; i++) out.after.push((await sql\`select \${i}::int as x\`)[0].x);
out.nextTransaction = await sql.begin((tx) => tx\`select 5 as y\`).then((rows) => rows[0].y);
await sql.end({ timeout: 1 });
console.log(JSON.stringify(out));
`;

const builds = {
  esm: script(`import postgres from "postgres"; const RESOLVED = import.meta.resolve("postgres");`),
  cjs:
    script(`const postgres = require("postgres"); const RESOLVED = require.resolve("postgres");`).replace(/^/, "(async () => {") + "})();",
};

function run(build: keyof typeof builds, url: string) {
  const args = build === "esm" ? ["--input-type=module", "-e", builds.esm] : ["-e", builds.cjs];
  const cwd = fileURLToPath(new URL("..", import.meta.url)); // packages/db: resolves "postgres" as the app does
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, args, { cwd, env: { ...process.env, URL: url }, timeout: 20_000 }, (_error, stdout, stderr) =>
      resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

if (why) console.log(`driver-patch.test.ts skipped: ${why}`);

describe.skipIf(why !== null)("postgres.js survives the server ending its connections (patched at install)", () => {
  let cluster: ThrowawayCluster;
  beforeAll(async () => {
    cluster = await startThrowawayCluster("onair-driver-");
  });
  afterAll(() => cluster?.remove());

  it.each([
    ["esm", /\/postgres\/src\/index\.js$/],
    ["cjs", /\/postgres\/cjs\/src\/index\.js$/],
  ] as const)("%s build: no crash, the transaction fails with CONNECTION_CLOSED, the pool recovers", async (build, file) => {
    const { code, stdout, stderr } = await run(build, cluster.url);
    expect(stderr, "the process must not die (is patches/postgres+3.4.9.patch applied? npm run postinstall)").not.toMatch(/TypeError/);
    expect(code, `exit code ${code} (null: still running after 20 s, a query hung)\n${stderr}`).toBe(0);
    const out = JSON.parse(stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
    expect(out.resolved).toMatch(file);
    expect(out).toMatchObject({ transaction: "CONNECTION_CLOSED", query: "CONNECTION_CLOSED", after: [0, 1, 2], nextTransaction: 5 });
  });
});
