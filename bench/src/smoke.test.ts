import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bench = fileURLToPath(new URL("..", import.meta.url));

/** `npm run bench -- <scenario>`, one second per run; resolves with what it printed (fails if it exits non-zero). */
function runBench(scenario: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "src/main.ts", scenario],
      { cwd: bench, env: { ...process.env, BENCH_DURATION: "1" }, timeout: 240_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stdout}\n${stderr}`)) : resolve(stdout)),
    );
  });
}

/** The harness works end to end and prints figures. */
describe("npm run bench (smoke)", () => {
  it("runs the procedure scenario and prints a requests/s figure and its ratio to the floor", async () => {
    const output = await runBench("procedure");
    const row = /gift\.catalog on PGlite: (\d+) req\/s · p50 [\d.]+ ms · p99 [\d.]+ ms · ([\d.]+)× floor/.exec(output);
    expect(row, output).not.toBeNull();
    expect(Number(row![1])).toBeGreaterThan(0);
    expect(output).toContain("Summary");
  }, 150_000);

  it("runs the popular scenario: gifts with an exact ledger, chat delivered once in order, heartbeat and the signed-in read", async () => {
    const output = await runBench("popular");
    const gifts = /gift\.send to one creator, 200 senders, PGlite: (\d+) req\/s · .* · ledger exact · /.exec(output);
    expect(gifts, output).not.toBeNull();
    expect(Number(gifts![1])).toBeGreaterThan(0);
    expect(output).toMatch(/chat\.send to one channel, .*, PGlite: \d+ req\/s · .* · 2 subscribers: each once, in order · /);
    expect(output).toMatch(/creator heartbeat during both, PGlite: .* · p99 [\d.]+ ms · max \d+ ms · /);
    expect(output).toMatch(/wallet\.balance, 50 concurrent, signed in, PGlite: [1-9]\d* req\/s/);
  }, 250_000);
});
