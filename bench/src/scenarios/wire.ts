import { chromium, type Page, type Response } from "playwright-core";
import { CHROMIUM_ARGS, chromiumPath } from "@onair/e2e/browser";
import { watchLiveKitSocket } from "../lib/livekit-socket";
import { openBenchDatabase, startOnAir } from "../lib/onair";
import { report } from "../lib/report";
import { makeLiveCreator } from "../lib/seed";

/** Issue 15's targets, and what Chromium downloaded before it (the server sent scripts uncompressed). */
export const TARGETS = { homeKb: 120, liveKb: 250, connectMs: 400 };
export const BEFORE = { homeKb: 680, liveKb: 1200, connectMs: 584 };

const TEXT = /^(text\/|application\/(javascript|json)|image\/svg\+xml)/;
const TIMEOUT_MS = 30_000;

interface Loaded {
  scripts: { url: string; bytes: number; body: string }[];
  /** Text answers (HTML, JS, CSS, SVG) that came without brotli. */
  notBrotli: string[];
}

/** Every answer a page gets while `until` runs, with its body size on the wire (as Chromium counts it). */
async function load(page: Page, until: () => Promise<unknown>): Promise<Loaded> {
  const responses: Response[] = [];
  page.on("response", (response) => responses.push(response));
  await until();
  const loaded: Loaded = { scripts: [], notBrotli: [] };
  for (const response of responses) {
    const type = (await response.headerValue("content-type")) ?? "";
    if (!TEXT.test(type) || response.status() !== 200 || response.url().includes("/trpc/") || response.url().includes("/api/")) continue;
    const url = new URL(response.url()).pathname;
    if ((await response.headerValue("content-encoding")) !== "br") loaded.notBrotli.push(url);
    if (/javascript/.test(type)) {
      const { responseBodySize } = await response.request().sizes();
      loaded.scripts.push({ url, bytes: responseBodySize, body: (await response.body()).toString() });
    }
  }
  return loaded;
}

const kb = (bytes: number) => bytes / 1024;
/** Strings only livekit-client's protocol code contains. */
const LIVEKIT = /["`']livekit\.(SignalRequest|JoinResponse)["`']/;

/**
 * JavaScript on the wire in a cold Chromium: the home page as a guest (until the network is idle) and a
 * live channel's page as a guest (until it opens LiveKit's WebSocket: all it needs to play).
 */
export async function wire() {
  const database = await openBenchDatabase("PGlite");
  const server = await startOnAir(database.handle);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  try {
    const creator = await makeLiveCreator(server, "wire_creator");
    const visit = async (path: string, until: (page: Page) => Promise<unknown>) => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        return await load(page, () => until(page));
      } finally {
        await context.close();
      }
    };
    const home = await visit("/", (page) => page.goto(`${server.publicUrl}/`, { waitUntil: "networkidle", timeout: TIMEOUT_MS }));
    const live = await visit(`/${creator.username}`, async (page) => {
      const socketOpened = await watchLiveKitSocket(page, TIMEOUT_MS);
      await page.goto(`${server.publicUrl}/${creator.username}`, { timeout: TIMEOUT_MS });
      await socketOpened();
    });
    const total = (loaded: Loaded) => kb(loaded.scripts.reduce((sum, script) => sum + script.bytes, 0));
    const homeLiveKit = home.scripts.some((script) => LIVEKIT.test(script.body));
    const rows = [
      {
        name: "/ (home), guest",
        loaded: home,
        target: TARGETS.homeKb,
        before: BEFORE.homeKb,
        extra: homeLiveKit ? ", LOADS LIVEKIT" : ", no LiveKit",
      },
      { name: "/:username live, guest", loaded: live, target: TARGETS.liveKb, before: BEFORE.liveKb, extra: "" },
    ];
    for (const { name, loaded, target, before, extra } of rows) {
      const size = total(loaded);
      report({
        scenario: "bundle",
        case: `${name}: JS on the wire (Chromium)`,
        rps: null,
        p50: null,
        p99: null,
        ratio: `${size <= target ? "meets" : "MISSES"} ≤ ${target} KB`,
        note: `${size.toFixed(1)} KB in ${loaded.scripts.length} files${extra}; before issue 15: ≈ ${before} KB`,
      });
    }
    const notBrotli = [...home.notBrotli, ...live.notBrotli];
    report({
      scenario: "bundle",
      case: "text answers (HTML, JS, CSS, SVG) in brotli",
      rps: null,
      p50: null,
      p99: null,
      ratio: notBrotli.length === 0 ? "all" : `${notBrotli.length} not`,
      note: notBrotli.length === 0 ? "Accept-Encoding of Chromium" : notBrotli.join(", "),
    });
    if (homeLiveKit) throw new Error("the home page loads LiveKit");
  } finally {
    await browser.close();
    await server.close();
    await database.handle.close();
  }
}
