import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import type { Database } from "@onair/db";
import { createTestDatabase } from "@onair/db/testing";
import { freePort, startServer } from "@onair/server/testing";
import { axeProblems, overflowProblems } from "./audit";
import { CHROMIUM_ARGS, chromiumPath } from "./browser";

export { freePort };

export const webDist = fileURLToPath(new URL("../../apps/web/dist", import.meta.url));
export const resultsDir = fileURLToPath(new URL("../test-results", import.meta.url));

export interface OnAir {
  /** `http://localhost:<port>`: the origin the browser must use (a secure context, PUBLIC_URL). */
  url: string;
  /** The server's database, for arranging what the UI cannot do yet. */
  db: Database;
  close(): Promise<void>;
}

/**
 * The real server, in-process, on a fresh database, serving the built web app.
 * `extraEnv` adds to (or overrides) the test configuration, e.g. LIVEKIT_URL and its credentials.
 */
export async function startOnAir(extraEnv: Record<string, string> = {}): Promise<OnAir> {
  if (!existsSync(path.join(webDist, "index.html"))) {
    throw new Error(
      `The web app is not built (${webDist}/index.html is missing). Run \`npx turbo run build --filter=@onair/web\` from the repository root first.`,
    );
  }
  const database = await createTestDatabase();
  // A fixed PORT (in extraEnv) when something outside must reach this server at a known address (LiveKit's webhooks).
  const { app, url } = await startServer(
    database,
    {
      HOST: "127.0.0.1",
      WEB_DIST: webDist,
      // CI's PostgreSQL pass runs the suite with the lane off: every page through tRPC's official adapter.
      TRPC_FAST_LANE: process.env.TRPC_FAST_LANE ?? "on",
      ...extraEnv,
    },
    // The real LiveKit room API at LIVEKIT_API_URL (unreachable unless a test runs LiveKit); no log.
    { rooms: undefined, logger: false },
  );
  return {
    url,
    db: database.db,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`Chromium is not installed at ${chromiumPath} (apt-get install -y chromium)`);
  return chromium.launch({
    executablePath: chromiumPath,
    args: CHROMIUM_ARGS,
  });
}

export const WIDTHS = [
  { width: 1440, height: 900 },
  { width: 375, height: 812 },
] as const;

/**
 * Full-page screenshots at desktop and phone widths (test-results/<name>-<width>.png), each width
 * audited as it is shot: no serious or critical axe-core violation, no sideways scrolling. Every
 * page and state the suite photographs is checked this way; a problem fails the test that shot it.
 */
export async function screenshot(page: Page, name: string) {
  if (!photographing) return atEachWidth(page);
  mkdirSync(resultsDir, { recursive: true });
  const original = page.viewportSize();
  const problems: string[] = [];
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    // Fixed headers land mid-page in a full-page shot taken while scrolled.
    await page.evaluate(() => window.scrollTo(0, 0));
    await painted(page);
    await page.screenshot({ path: path.join(resultsDir, `${name}-${size.width}.png`), fullPage: true, animations: "disabled" });
    const found = [...(await overflowProblems(page)), ...(await axeProblems(page))];
    problems.push(...found.map((problem) => `${name} at ${size.width} px: ${problem}`));
  }
  if (original) await page.setViewportSize(original);
  if (problems.length > 0) throw new Error(`The page fails its audit:\n${problems.join("\n")}`);
}

/**
 * `E2E_SCREENSHOTS=off` (CI's second pass): `screenshot()` only shows the page at each width, with no
 * picture and no audit. The pictures and audits are of the same web build the first pass already
 * photographed and audited; the second pass is there for its database and tRPC path.
 */
const photographing = process.env.E2E_SCREENSHOTS !== "off";

async function atEachWidth(page: Page) {
  const original = page.viewportSize();
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    await painted(page);
  }
  if (original) await page.setViewportSize(original);
}

/** Resolves once the page has painted two more frames: a new viewport size or scroll position is on screen. */
export async function painted(page: Page) {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}

/** Waits until the locator is visible; fails with what was expected. */
export async function expectVisible(locator: Locator, timeout = 10_000) {
  try {
    await locator.first().waitFor({ state: "visible", timeout });
  } catch (error) {
    throw new Error(`Expected ${locator.toString()} to be visible: ${(error as Error).message.split("\n")[0]}`);
  }
}

export async function expectHidden(locator: Locator, timeout = 10_000) {
  await locator.first().waitFor({ state: "hidden", timeout });
}

export interface Account {
  username: string;
  email: string;
  password: string;
}

export function account(username: string): Account {
  return { username, email: `${username}@example.test`, password: "correct horse battery" };
}

/** Fills and submits the sign-up form. */
export async function signUp(page: Page, base: string, who: Account) {
  await page.goto(`${base}/sign-up`);
  await page.getByLabel("Username").fill(who.username);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password", { exact: true }).fill(who.password);
  await page.getByRole("button", { name: "Create account" }).click();
}

/**
 * The pages of one test file: each in a browser context of its own (its own cookies) at desktop size,
 * every uncaught page error collected in `errors`; `prepare` runs on each new page (e.g. intercepting
 * LiveKit). `close` closes them all.
 */
export class Pages {
  readonly errors: string[] = [];
  private readonly contexts: BrowserContext[] = [];

  constructor(
    private readonly browser: Browser,
    private readonly prepare?: (page: Page) => Promise<unknown>,
  ) {}

  /** A new page, in `context` or in a new one (`options` for the new context, e.g. storageState). */
  async open(context?: BrowserContext, options: Parameters<Browser["newContext"]>[0] = {}): Promise<Page> {
    if (!context) {
      context = await this.browser.newContext({ viewport: WIDTHS[0], ...options });
      this.contexts.push(context);
    }
    const page = await context.newPage();
    page.on("pageerror", (error) => this.errors.push(`${page.url()}: ${error.message}`));
    await this.prepare?.(page);
    return page;
  }

  /** A new page signed up as `who`, once the app shows them signed in. */
  async signedUp(base: string, who: Account): Promise<Page> {
    const page = await this.open();
    await signUp(page, base, who);
    // Generous: sign-up hashes a password, which takes a while on a busy 2-core machine.
    await expectVisible(page.getByTestId("user-menu-name").getByText(who.username), 30_000);
    return page;
  }

  async close() {
    for (const context of this.contexts) await context.close().catch(() => {});
  }
}

type Box = { x: number; y: number; width: number; height: number };

/** Whether two elements' boxes (Playwright's `boundingBox()`, viewport coordinates) overlap; a missing box overlaps nothing. */
export function overlaps(a: Box | null, b: Box | null): boolean {
  if (!a || !b) return false;
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
