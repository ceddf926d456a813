import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM_ARGS, chromiumPath } from "@onair/e2e/browser";
import { watchLiveKitSocket } from "../lib/livekit-socket";
import { openBenchDatabase, startOnAir } from "../lib/onair";
import { report, times } from "../lib/report";
import { makeLiveCreator } from "../lib/seed";
import { BEFORE, TARGETS } from "./wire";
import { percentile } from "./golive";

const RUNS = 5;
const TIMEOUT_MS = 20_000;

/** One cold load: when it opened LiveKit's WebSocket, its DOMContentLoaded and (pages with content) its first paint. */
interface Load {
  socket: number;
  loaded: number;
  painted?: number;
}

/**
 * Viewer time-to-connect: a cold Chromium context navigates to /:username of a live channel; the clock
 * stops when the page opens LiveKit's WebSocket (`/rtc`, intercepted). Two floors, loaded the same way
 * in the same browser, with the page's own headers: the page with nothing but its early join (the
 * JSON, the join's script and livekit-client: what the app adds is the difference), and a blank page
 * whose one small script opens the WebSocket (what the browser and machine take to get that far).
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
    const url = `${server.publicUrl}/${creator.username}`;
    const page: Load[] = [];
    const livekitAlone: Load[] = [];
    const blank: Load[] = [];
    for (let run = 0; run < RUNS; run++) {
      const served = await fetch(url, { headers: { "accept-encoding": "identity" } }); // a guest's page: its own token
      const html = await served.text();
      const headers = Object.fromEntries([...served.headers].filter(([name]) => !/^content-(length|encoding)$/.test(name)));
      const wsUrl = /"wsUrl":"([^"]+)"/.exec(html)?.[1];
      if (!html.includes("async fetchpriority") || !wsUrl) throw new Error(`${url} carries no early LiveKit join`);
      const floors = {
        [`${server.publicUrl}/floor/livekit`]: { body: joinOnly(html), headers },
        [`${server.publicUrl}/floor/blank`]: { body: '<!doctype html><script type="module" src="/floor/open.js"></script>', headers },
        [`${server.publicUrl}/floor/open.js`]: {
          body: `new WebSocket(${JSON.stringify(`${wsUrl}/rtc?floor`)});`,
          headers: { "content-type": "text/javascript" },
        },
      };
      page.push(await load(browser, url, {}, { painted: true }));
      livekitAlone.push(await load(browser, `${server.publicUrl}/floor/livekit`, floors));
      blank.push(await load(browser, `${server.publicUrl}/floor/blank`, floors));
    }
    const values = (loads: Load[], key: keyof Load) => loads.map((one) => one[key] ?? NaN);
    const p50 = (loads: Load[], key: keyof Load = "socket") => percentile(values(loads, key), 50);
    const row = (name: string, loads: Load[], key: keyof Load, ratio: string, note: string) =>
      report({ scenario: "connect", case: name, rps: null, p50: p50(loads, key), p99: Math.max(...values(loads, key)), ratio, note });
    const [connected, alone, floor] = [p50(page), p50(livekitAlone), p50(blank)];
    row(
      `/:username → LiveKit WebSocket (${RUNS} cold runs)`,
      page,
      "socket",
      `${times(connected, alone, "LiveKit alone")} · ${times(connected, floor, "blank page")}`,
      `median (target ≤ ${TARGETS.connectMs} ms; before issue 15: ${BEFORE.connectMs} ms on a quiet machine); p99 column = slowest run`,
    );
    row("/:username DOMContentLoaded", page, "loaded", "", "same loads");
    row("/:username first contentful paint", page, "painted", "", "same loads, on the page's clock");
    row(
      "floor: the page's early join alone (no app)",
      livekitAlone,
      "socket",
      times(alone, floor, "blank page"),
      "livekit-client's download, compile and join",
    );
    row("floor: a blank page opening the WebSocket", blank, "socket", "baseline", "navigation and a new document");
  } finally {
    await browser.close();
    await server.close();
    await database.handle.close();
  }
}

/** A cold context loads `url` (pages in `floors` are answered from memory) until it opens the `/rtc` WebSocket. */
async function load(
  browser: Browser,
  url: string,
  floors: Record<string, { body: string; headers: Record<string, string> }>,
  { painted = false } = {},
): Promise<Load> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    for (const [path, answer] of Object.entries(floors)) await page.route(path, (route) => route.fulfill({ status: 200, ...answer }));
    const socketOpened = await watchLiveKitSocket(page, TIMEOUT_MS);
    const started = performance.now();
    await page.goto(url, { waitUntil: "domcontentloaded" });
    const loaded = performance.now() - started;
    const socket = (await socketOpened()) - started;
    if (!painted) return { socket, loaded };
    // First contentful paint, on the page's clock (from its navigation start); bounded like the socket's wait.
    const paint = await page.waitForFunction(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime, undefined, {
      timeout: TIMEOUT_MS,
    });
    return { socket, loaded, painted: (await paint.jsonValue())! };
  } finally {
    await context.close();
  }
}

/** The page with only its early join: the data, the join's script and its preloads; not the app's scripts, preloads or styles. */
function joinOnly(html: string): string {
  let inJoin = false;
  return html
    .split("\n")
    .filter((line) => {
      if (line.includes("async fetchpriority")) return (inJoin = true);
      if (!/<script type="module"|rel="modulepreload"|rel="stylesheet"/.test(line)) return true;
      inJoin &&= line.includes("modulepreload");
      return inJoin;
    })
    .join("\n");
}
