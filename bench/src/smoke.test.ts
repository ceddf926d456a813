import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bench = fileURLToPath(new URL("..", import.meta.url));

/** `npm run bench -- procedure`, one second per run: the harness works end to end and prints figures. */
describe("npm run bench (smoke)", () => {
  it("runs the procedure scenario and prints a requests/s figure and its ratio to the floor", async () => {
    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ["--import", "tsx", "src/main.ts", "procedure"],
        { cwd: bench, env: { ...process.env, BENCH_DURATION: "1" }, timeout: 120_000 },
        (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stdout}\n${stderr}`)) : resolve(stdout)),
      );
    });
    const row = /gift\.catalog on PGlite: (\d+) req\/s · p50 [\d.]+ ms · p99 [\d.]+ ms · ([\d.]+)× floor/.exec(output);
    expect(row, output).not.toBeNull();
    expect(Number(row![1])).toBeGreaterThan(0);
    expect(output).toContain("Summary");
  }, 150_000);
});
