import path from "node:path";
import type { Browser, Page, WebSocketRoute } from "playwright-core";
import { stream } from "@onair/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeProblems, overflowProblems } from "./audit";
import { trpcCall } from "./chat-helpers";
import {
  account,
  expectVisible,
  freePort,
  launchBrowser,
  overlaps,
  Pages,
  painted,
  resultsDir,
  screenshot,
  startOnAir,
  WIDTHS,
  type OnAir,
} from "./harness";
import { answerLiveKitPreflight, interceptLiveKit, LIVEKIT_TEST_KEY, LIVEKIT_TEST_SECRET } from "./live-helpers";

const creator = account("edge_creator");
const fan = account("edge_fan");
/** As long as a title may be (140), one unbroken word: nothing on the page may be pushed wider by it. */
const LONG_TITLE = `Edge${"x".repeat(136)}`;
const [DESKTOP, PHONE] = WIDTHS;

/** Whether the page is wider than its viewport (it would scroll sideways). */
const scrollsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

/** The small edges of issue 25: each found at 375 or 1440 px, each checked at both. */
describe("small edges: overflow, forms, focus, toasts, the user menu", () => {
  let onair: OnAir;
  let livekitUrl: string;
  let browser: Browser;
  let pages: Pages;
  let studio: Page;

  beforeAll(async () => {
    livekitUrl = `ws://localhost:${await freePort()}`;
    onair = await startOnAir({ LIVEKIT_URL: livekitUrl, LIVEKIT_API_KEY: LIVEKIT_TEST_KEY, LIVEKIT_API_SECRET: LIVEKIT_TEST_SECRET });
    browser = await launchBrowser();
    pages = new Pages(browser);
    studio = await pages.signedUp(onair.url, creator); // the first account: admin
    await trpcCall(studio, "creator.requestApproval");
    await trpcCall(studio, "admin.approveCreator", { username: creator.username });
  }, 480_000);

  afterAll(async () => {
    await pages?.close();
    await browser?.close();
    await onair?.close();
  });

  it("sign-in: an empty form says which field is missing before sending; the server names the field too", async () => {
    const page = await pages.open();
    const sent: string[] = [];
    page.on("request", (request) => request.url().includes("/api/auth/sign-in") && sent.push(request.url()));
    await page.goto(`${onair.url}/sign-in`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expectVisible(page.getByText("Enter your email or username"));
    await expectVisible(page.getByText("Enter your password"));
    expect(await page.getByText("Invalid username or password").count()).toBe(0);
    expect(await page.getByLabel("Email or username").evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await page.getByLabel("Email or username").getAttribute("aria-invalid")).toBe("true");
    await screenshot(page, "edges-sign-in-empty");
    await page.getByLabel("Email or username").fill(fan.username);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByText("Enter your email or username").count()).toBe(0);
    await expectVisible(page.getByText("Enter your password"));
    expect(sent).toEqual([]);
    // Sent anyway (another client, or a form without this check): the server names the missing field.
    const answer = await page.evaluate(async () => {
      const response = await fetch("/api/auth/sign-in/username", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "", password: "" }),
      });
      return { status: response.status, body: (await response.json()) as { code?: string } };
    });
    expect(answer).toMatchObject({ status: 400, body: { code: "USERNAME_REQUIRED" } });
    await page.close();
  });

  it("refuses an http:// thumbnail, and the form says https:// is needed", async () => {
    await studio.goto(`${onair.url}/dashboard`);
    await studio.getByLabel("Title").fill(LONG_TITLE);
    await studio.getByLabel("Thumbnail URL").fill("http://example.com/cover.jpg");
    await studio.getByRole("button", { name: "Save" }).click();
    const error = studio.locator('[data-field-error="thumbnail"]');
    await expectVisible(error);
    expect(await error.textContent()).toContain("https://");
    const [row] = await onair.db.select().from(stream);
    expect(row?.thumbnail ?? null).toBeNull();
    expect(row?.title).not.toBe(LONG_TITLE); // nothing saved
    await screenshot(studio, "edges-thumbnail-http");
    // With https:// it saves (and the long title with it).
    await studio.getByLabel("Thumbnail URL").fill("https://example.com/cover.jpg");
    await studio.getByRole("button", { name: "Save" }).click();
    await expectVisible(studio.getByText("All changes saved"));
    expect((await onair.db.select().from(stream))[0]).toMatchObject({ title: LONG_TITLE, thumbnail: "https://example.com/cover.jpg" });
  });

  it("shows every dashboard tab in full at 375 px", async () => {
    await studio.setViewportSize(PHONE);
    await studio.goto(`${onair.url}/dashboard`);
    const nav = studio.getByRole("navigation", { name: "Dashboard" });
    await expectVisible(nav.getByRole("link", { name: "Community" }));
    const clipped = await nav.evaluate((el) => {
      const list = el.querySelector("ul")!;
      const bounds = list.getBoundingClientRect();
      const cut = [...el.querySelectorAll("a")].filter((a) => {
        const r = a.getBoundingClientRect();
        return r.left < Math.max(bounds.left, 0) - 0.5 || r.right > Math.min(bounds.right, innerWidth) + 0.5;
      });
      return { cut: cut.map((a) => a.textContent), scrolls: list.scrollWidth > list.clientWidth };
    });
    expect(clipped).toEqual({ cut: [], scrolls: false });
    await screenshot(studio, "edges-dashboard-tabs");
    await studio.setViewportSize(DESKTOP);
  });

  it("at 1440 px the LiveKit warning is on screen, by the Go Live button", async () => {
    const page = await pages.open(studio.context()); // no LiveKit answers its pre-flight
    await page.goto(`${onair.url}/dashboard/stream`);
    const warning = page.getByTestId("preflight-failed");
    await expectVisible(warning, 20_000);
    const box = (await warning.boundingBox())!;
    const button = (await page.getByTestId("go-live-button").boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(DESKTOP.height);
    expect(button.y + button.height).toBeLessThanOrEqual(DESKTOP.height);
    expect(Math.abs(button.y - (box.y + box.height))).toBeLessThan(200);
    await screenshot(page, "edges-preflight-failed");
    await page.close();
  });

  it("with the user menu open, axe finds no serious problem (the page behind is not aria-hidden yet focusable)", async () => {
    for (const size of WIDTHS) {
      await studio.setViewportSize(size);
      await studio.goto(`${onair.url}/wallet`);
      await studio.getByRole("button", { name: `Account menu for ${creator.username}` }).click();
      await expectVisible(studio.getByRole("menu"));
      expect(await axeProblems(studio), `at ${size.width} px`).toEqual([]);
      await studio.keyboard.press("Escape");
    }
  });

  it("after Go Live by keyboard, focus is in the live studio; at 375 px nothing scrolls sideways", async () => {
    // LiveKit's WebSocket is held open and never answered: the studio stays "Connecting to … ws://…".
    const held: { socket: WebSocketRoute | null } = { socket: null };
    await studio.routeWebSocket(/\/rtc/, (ws) => void (held.socket = ws));
    await answerLiveKitPreflight(studio, livekitUrl);
    await studio.setViewportSize(PHONE);
    await studio.goto(`${onair.url}/dashboard/stream`);
    const goLive = studio.getByTestId("go-live-button");
    await expect.poll(() => goLive.isEnabled(), { timeout: 20_000 }).toBe(true);
    await goLive.focus();
    await studio.keyboard.press("Enter");
    await expectVisible(studio.getByTestId("live-studio"), 20_000);
    await expect.poll(() => studio.evaluate(() => document.activeElement?.closest("[data-testid=live-studio]") !== null)).toBe(true);
    expect(await studio.evaluate(() => document.activeElement?.textContent)).toMatch(/live|End stream/);
    const connecting = studio.getByText(/Connecting to the live video server at/);
    await expectVisible(connecting);
    expect(await overflowProblems(studio)).toEqual([]);
    await screenshot(studio, "edges-studio-connecting");
    await expect.poll(() => held.socket !== null).toBe(true);
    await held.socket!.close({ code: 1011, reason: "no LiveKit server in this test" });
    await expectVisible(studio.getByTestId("link-failed"), 20_000);
    await studio.setViewportSize(PHONE);
    await painted(studio);
    expect(await scrollsSideways(studio)).toBe(false);
    await screenshot(studio, "edges-studio-failed");
  });

  it("a toast never covers the player (375 and 1440 px)", async () => {
    const page = await pages.signedUp(onair.url, fan);
    await interceptLiveKit(page);
    await page.goto(`${onair.url}/${creator.username}`);
    const player = page.getByTestId("live-player");
    await expectVisible(player, 20_000);
    for (const size of [PHONE, DESKTOP]) {
      await page.setViewportSize(size);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.getByTestId("follow-button").click();
      const toast = page.locator("[data-sonner-toast][data-mounted=true]").last();
      await expectVisible(toast);
      // Once it has slid in: the same box two frames apart.
      let box = await toast.boundingBox();
      for (let settled = false; !settled;) {
        await painted(page);
        const next = await toast.boundingBox();
        settled = JSON.stringify(next) === JSON.stringify(box);
        box = next;
      }
      const playerBox = await player.boundingBox();
      await page.screenshot({ path: path.join(resultsDir, `edges-toast-${size.width}.png`) });
      expect(
        overlaps(box, playerBox),
        `toast ${JSON.stringify(box)} over the player ${JSON.stringify(playerBox)} at ${size.width} px`,
      ).toBe(false);
      // Gone by itself (a few seconds) before the next width's toast.
      await expect.poll(() => page.locator("[data-sonner-toast]").count()).toBe(0);
    }
    await page.close();
  });

  it("a 100-character search scrolls nothing sideways (375 and 1440 px)", async () => {
    const page = await pages.open();
    const q = "y".repeat(100);
    await page.goto(`${onair.url}/?q=${q}`);
    await expectVisible(page.getByRole("heading", { name: /Channels matching/ }));
    await expectVisible(page.getByText("No channels match your search"));
    for (const size of WIDTHS) {
      await page.setViewportSize(size);
      await painted(page);
      expect(await overflowProblems(page), `at ${size.width} px`).toEqual([]);
    }
    await screenshot(page, "edges-search-long");
    await page.close();
  });

  it("ran without uncaught page errors", () => {
    expect(pages.errors).toEqual([]);
  });
});
