import { availableParallelism, loadavg } from "node:os";
import { postgresUrl } from "./lib/config";
import { summary } from "./lib/report";
import { scenarios, type ScenarioName } from "./scenarios";

/** `npm run bench` runs every scenario; `npm run bench -- storm chat` runs those. */
async function main() {
  const asked = process.argv.slice(2).filter((arg) => !arg.startsWith("-"));
  const unknown = asked.filter((name) => !(name in scenarios));
  if (unknown.length > 0) {
    console.error(`Unknown scenario: ${unknown.join(", ")}. Scenarios: ${Object.keys(scenarios).join(", ")}`);
    process.exit(2);
  }
  const names = (asked.length > 0 ? asked : Object.keys(scenarios)) as ScenarioName[];
  const load = () =>
    loadavg()
      .map((value) => value.toFixed(2))
      .join(" ");
  console.log(`OnAir bench · Node ${process.versions.node} · ${availableParallelism()} cores · load average ${load()}`);
  console.log(`Databases: PGlite${postgresUrl ? " and PostgreSQL" : " (set DATABASE_URL or TEST_DATABASE_URL for PostgreSQL too)"}`);
  console.log("Ratios compare runs of this invocation only: other processes on the machine move every figure.");
  let failed = false;
  for (const name of names) {
    const { run, about } = scenarios[name];
    console.log(`\n▶ ${name}: ${about}`);
    const started = performance.now();
    try {
      await run();
    } catch (error) {
      failed = true;
      console.error(`  ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    console.log(`  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
  console.log(`\nSummary (load average at the end: ${load()})\n\n${summary()}\n`);
  process.exit(failed ? 1 : 0);
}

void main();
