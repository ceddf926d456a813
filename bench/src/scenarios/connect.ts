import { existsSync } from "node:fs";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, chromiumPath } from "@onair/e2e/browser";
import { openBenchDatabase, startOnAir } from "../lib/onair";
import { report, times } from "../lib/report";
import { makeLiveCreator } from "../lib/seed";
import { BEFORE, TARGETS } from "./wire";
import { percentile } from "./golive";

const RUNS = 5;
const TIMEOUT_MS = 20_000;

/**
 * Viewer time-to-connect: a cold Chromium context navigates to /:username of a live channel; the clock
 * stops when the page opens LiveKit's WebSocket (`/rtc`, intercepted). Baseline: the page's DOMContentLoaded.
 */
export async function connect() {
  if (!existsSync(chromiumPath)) {
    console.log(`  skipped: no Chromium at ${chromiumPath} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
    return;
  }
  const database = await openBenchDatabase("PGlite");
  const server = await startOnAir(database.handle);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  try {
    const creator = await makeLiveCreator(server);
    const connected: number[] = [];
    const loaded: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        let started = 0;
        let open: (ms: number) => void = () => {};
        const opened = new Promise<number>((resolve) => (open = resolve));
        // In place before the page loads: the page may join LiveKit before the app has even started.
        await page.routeWebSocket(/\/rtc/, (ws) => {
          open(performance.now() - started);
          void ws.close();
        });
        started = performance.now();
        await page.goto(`${server.publicUrl}/${creator.username}`, { waitUntil: "domcontentloaded" });
        loaded.push(performance.now() - started);
        const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), TIMEOUT_MS));
        const ms = await Promise.race([opened, timeout]);
        if (ms === null) {
          console.log(`  run ${run + 1}: the page did not open the LiveKit WebSocket within ${TIMEOUT_MS / 1000} s`);
          break;
        }
        connected.push(ms);
      } finally {
        await context.close();
      }
    }
    const base = percentile(loaded, 50);
    if (connected.length > 0) {
      report({
        scenario: "connect",
        case: `/:username → LiveKit WebSocket (${connected.length} cold runs)`,
        rps: null,
        p50: percentile(connected, 50),
        p99: Math.max(...connected),
        ratio: times(percentile(connected, 50), base, "DOMContentLoaded"),
        note: `median (target ≤ ${TARGETS.connectMs} ms; before issue 15: ${BEFORE.connectMs} ms on a quiet machine); p99 column = slowest run`,
      });
    } else {
      report({
        scenario: "connect",
        case: "/:username → LiveKit WebSocket",
        rps: null,
        p50: null,
        p99: null,
        ratio: "",
        note: "never opened: the channel page does not connect to LiveKit",
      });
    }
    report({
      scenario: "connect",
      case: "/:username DOMContentLoaded",
      rps: null,
      p50: base,
      p99: Math.max(...loaded),
      ratio: "baseline",
      note: "cold cache",
    });
  } finally {
    await browser.close();
    await server.close();
    await database.handle.close();
  }
}
