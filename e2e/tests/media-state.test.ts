import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { broadcast } from "@onair/db";
import { trpcCall } from "./chat-helpers";
import { account, expectVisible, launchBrowser, Pages, screenshot, type OnAir } from "./harness";
import { sendWebhook, startOnAirWithoutLiveKit, waitFor } from "./live-helpers";

const creator = account("media_alice");

/**
 * LiveKit's WebSocket, intercepted: `fail` closes it as an unreachable server would, `hold` accepts it
 * and answers nothing (a connection that never brings media). `count` is how many the page opened.
 */
async function controlLiveKit(page: Page) {
  const control = { mode: "fail" as "fail" | "hold", count: 0 };
  await page.routeWebSocket(/\/rtc/, (ws) => {
    control.count++;
    if (control.mode === "fail") void ws.close({ code: 1011, reason: "no LiveKit server in this test" });
  });
  return control;
}

/** Every change of the player's data-media-state from now on, in order (a state may last too briefly to poll). */
async function recordMediaStates(page: Page) {
  await page.evaluate(() => {
    const player = document.querySelector("[data-testid=stream-player]")!;
    const seen: string[] = [];
    (window as unknown as { mediaStates: string[] }).mediaStates = seen;
    new MutationObserver(() => seen.push(player.getAttribute("data-media-state") ?? "")).observe(player, {
      attributes: true,
      attributeFilter: ["data-media-state"],
    });
  });
  return () => page.evaluate(() => (window as unknown as { mediaStates: string[] }).mediaStates);
}

/** The 20 s and 1 min windows, shortened through the player's test hook (never by sleeping). */
async function shortWindows(page: Page, windows: { noMediaMs?: number; stillStartingMs?: number }) {
  await page.addInitScript((w) => ((window as unknown as { __onairMediaWindows: object }).__onairMediaWindows = w), windows);
}

/**
 * The player's data-media-state (#25, contract): connecting / playing / unreachable for this viewer's
 * own LiveKit connection, said in words with a Retry that connects again; a long start is said too.
 * (`playing` needs real media: media-state.test.ts in apps/web covers it, and livekit-real.test.ts.)
 */
describe("the viewer's media state: honest about what reaches this browser", () => {
  let onair: OnAir;
  let browser: Browser;
  let pages: Pages;
  let creatorPage: Page;
  let roomName = "";
  let creatorId = "";

  const player = (page: Page) => page.getByTestId("stream-player");
  const mediaState = (page: Page) => player(page).getAttribute("data-media-state");
  async function expectMedia(page: Page, expected: string, timeout = 15_000) {
    await waitFor(`data-media-state=${expected}`, async () => (await mediaState(page)) === expected, timeout).catch(
      async (error: Error) => {
        throw new Error(`${error.message} (it is ${await mediaState(page)})`);
      },
    );
  }

  beforeAll(async () => {
    ({ onair } = await startOnAirWithoutLiveKit());
    browser = await launchBrowser();
    pages = new Pages(browser);
    creatorPage = await pages.signedUp(onair.url, creator); // the first account: admin
    await trpcCall(creatorPage, "creator.requestApproval");
    await trpcCall(creatorPage, "admin.approveCreator", { username: creator.username });
    creatorId = (await trpcCall<{ id: string }>(creatorPage, "account.me", undefined, "query")).id;
    await trpcCall(creatorPage, "stream.goLive", { title: "Media states" });
    const [open] = (await onair.db.select().from(broadcast)).filter((b) => b.endedAt === null);
    roomName = open!.roomName;
  }, 480_000);

  afterAll(async () => {
    await pages?.close();
    await browser?.close();
    await onair?.close();
  });

  it("a broadcast still starting after the window says so, while the viewer's connection waits (connecting)", async () => {
    const page = await pages.open();
    const livekit = await controlLiveKit(page);
    livekit.mode = "hold";
    await shortWindows(page, { stillStartingMs: 1_500 });
    await page.goto(`${onair.url}/${creator.username}`);
    // Read in one go: on a very busy machine LiveKit's own 15 s join timeout may later turn it into "can't reach".
    await waitFor("still starting, while connecting", () =>
      page.evaluate(() => {
        const still = document.querySelector("[data-testid=player-still-starting]");
        const player = document.querySelector("[data-testid=stream-player]");
        return (
          !!still?.textContent?.includes("Still starting — the creator's video hasn't arrived yet") &&
          player?.getAttribute("data-media-state") === "connecting" &&
          player.getAttribute("data-stream-state") === "starting"
        );
      }),
    );
    await screenshot(page, "player-still-starting");
    await page.close();
  });

  it("at 375 px: the viewer's own connection fails → unreachable in words; Retry by keyboard → connecting again", async () => {
    expect(
      await sendWebhook(onair.url, { event: "track_published", room: roomName, identity: creatorId, track: "TR_cam", tracks: ["TR_cam"] }),
    ).toBe("applied");
    const page = await pages.open();
    await page.setViewportSize({ width: 375, height: 812 });
    const livekit = await controlLiveKit(page);
    await page.goto(`${onair.url}/${creator.username}`);
    await expectMedia(page, "unreachable", 20_000);
    const failed = page.getByTestId("player-failed");
    await expectVisible(failed.getByText("Your connection can't reach the video"));
    await screenshot(page, "player-unreachable");

    // Keyboard: Retry is a real button that takes focus; Enter connects again (held this time: connecting).
    const opened = livekit.count;
    livekit.mode = "hold";
    const retry = failed.getByRole("button", { name: "Retry" });
    await retry.focus();
    expect(await retry.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press("Enter");
    await expectMedia(page, "connecting");
    await waitFor("a new LiveKit connection", async () => livekit.count > opened);
    expect(await failed.count()).toBe(0);
    // Focus stays in the player, not on <body>.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("live-player");
    await page.close();
  });

  it("at 1440 px: a connection that brings no media within the window → unreachable, said so; Retry → connecting", async () => {
    const page = await pages.open();
    const livekit = await controlLiveKit(page);
    livekit.mode = "hold";
    await shortWindows(page, { noMediaMs: 1_500 });
    await page.goto(`${onair.url}/${creator.username}`);
    await expectMedia(page, "unreachable");
    // (On a very busy machine the page may take longer to start than LiveKit's own 15 s join timeout: then
    // the first verdict is "can't reach". Each Retry below starts a fresh connection on a page already up.)
    const noMedia = page.getByTestId("player-no-media");
    for (const round of [1, 2]) {
      const opened = livekit.count;
      const history = await recordMediaStates(page); // "connecting" may last only the 1.5 s window: recorded, not polled
      await player(page).getByRole("button", { name: "Retry" }).click();
      await waitFor(`a new LiveKit connection (round ${round})`, async () => livekit.count > opened);
      // Connecting again; then, the window starting again from the Retry, unreachable for want of media.
      await waitFor("connecting → unreachable after Retry", async () => (await history()).join(",").startsWith("connecting,unreachable"));
      await expectVisible(noMedia.getByText("The video isn't reaching you"));
    }
    expect(await noMedia.textContent()).toContain(`${creator.username} is live, but no video has reached this browser`);
    // (LiveKit's own join timeout, 15 s, later turns a held connection into "failed": still unreachable.)
    await screenshot(page, "player-no-media");
    await page.close();
  });

  it("no LiveKit, outside production: the creator goes live without video (labelled), viewers are told, chat works", async () => {
    await trpcCall(creatorPage, "stream.end");
    await creatorPage.goto(`${onair.url}/dashboard/stream`);
    const offer = creatorPage.getByTestId("without-video");
    await expectVisible(offer, 20_000); // the pre-flight found no LiveKit at LIVEKIT_URL
    expect(await creatorPage.getByTestId("go-live-button").isDisabled()).toBe(true);
    await offer.getByRole("button", { name: "Go live without video (development only)" }).click();
    await expectVisible(creatorPage.getByTestId("without-video-note"));
    expect(await creatorPage.getByTestId("live-studio").getByTestId("studio-without-video").first().textContent()).toBe("No video · dev");
    // Nothing tried to reach LiveKit for it, so nothing says it failed.
    expect(await creatorPage.getByText("Viewers can't see you").count()).toBe(0);
    await screenshot(creatorPage, "studio-without-video");

    const viewer = await pages.open();
    await viewer.goto(`${onair.url}/${creator.username}`);
    await expectVisible(viewer.getByTestId("player-without-video").getByText(`${creator.username} is live without video`));
    expect(await player(viewer).getAttribute("data-stream-state")).toBe("starting"); // LIVE only while video flows
    expect(await viewer.getByTestId("without-video-badge").textContent()).toBe("No video · dev");
    await trpcCall(creatorPage, "chat.send", { username: creator.username, text: "hello without video" });
    await expectVisible(viewer.getByText("hello without video"));
    await screenshot(viewer, "player-without-video");
    await viewer.close();
    await trpcCall(creatorPage, "stream.end");
  });

  it("ran without uncaught page errors", () => {
    expect(pages.errors).toEqual([]);
  });
});
