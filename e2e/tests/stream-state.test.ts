import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { broadcast } from "@onair/db";
import { trpcCall } from "./chat-helpers";
import { account, expectVisible, launchBrowser, Pages, screenshot, type OnAir } from "./harness";
import { answerLiveKitPreflight, interceptLiveKit, sendWebhook, startOnAirWithoutLiveKit, waitFor } from "./live-helpers";

const creator = account("alice");
const fan = account("state_fan");

/**
 * "LIVE" means video is flowing: the channel page's player carries data-stream-state (offline → starting
 * → live → ended) and says what is happening, driven by the server's isPublishing (signed LiveKit
 * webhooks and the creator's heartbeat); the directory and the Following list agree, without reloads.
 */
describe("honest live state: data-stream-state follows isPublishing", () => {
  let onair: OnAir;
  let livekitUrl: string;
  let browser: Browser;
  let pages: Pages;
  let creatorPage: Page;
  let fanPage: Page;
  let guest: Page;
  let guestRtc: Awaited<ReturnType<typeof interceptLiveKit>>;
  let roomName = "";
  let creatorId = "";

  const player = (page: Page) => page.getByTestId("stream-player");
  const state = (page: Page) => player(page).getAttribute("data-stream-state");
  async function expectState(page: Page, expected: string) {
    await waitFor(`data-stream-state=${expected}`, async () => (await state(page)) === expected, 15_000).catch(async (error: Error) => {
      throw new Error(`${error.message} (it is ${await state(page)})`);
    });
  }
  const webhook = (event: string, extra: { track?: string; tracks?: string[] } = {}) =>
    sendWebhook(onair.url, { event, room: roomName, identity: creatorId, ...extra });

  beforeAll(async () => {
    // No sweeper: the creator's page is not on Go Live here, so no heartbeats keep the broadcast open.
    ({ onair, livekitUrl } = await startOnAirWithoutLiveKit());
    browser = await launchBrowser();
    pages = new Pages(browser);
    creatorPage = await pages.signedUp(onair.url, creator); // the first account: admin
    await trpcCall(creatorPage, "creator.requestApproval");
    await trpcCall(creatorPage, "admin.approveCreator", { username: creator.username });
    creatorId = (await trpcCall<{ id: string }>(creatorPage, "account.me", undefined, "query")).id;
    fanPage = await pages.signedUp(onair.url, fan);
    await trpcCall(fanPage, "follow.follow", { username: creator.username });
    guest = await pages.open();
    guestRtc = await interceptLiveKit(guest);
  }, 480_000); // a server, two sign-ups and a browser: minutes on a busy 2-core machine

  afterAll(async () => {
    await pages?.close();
    await browser?.close();
    await onair?.close();
  });

  it("offline: the player says so before any broadcast", async () => {
    await guest.goto(`${onair.url}/${creator.username}`);
    await expectState(guest, "offline");
    await expectVisible(guest.getByText(`${creator.username} is offline`));
    await guest.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    await fanPage.goto(onair.url);
    await expectVisible(fanPage.getByTestId(`following-${creator.username}`).getByText("Offline"));
  });

  it("starting: the broadcast opens without media — the viewer joins LiveKit at once, no LIVE badge, not in the directory", async () => {
    // The fan's Following list loaded, but its live stream not yet listening when the broadcast opens:
    // the list is read again once it listens (not 30 s later, at the next refresh).
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held = new Promise<void>((opened) => {
      void fanPage.route("**/trpc/mux.onMany**", async (route) => {
        opened();
        await gate;
        await route.continue().catch(() => {}); // (a stream the page already dropped for a newer one)
      });
    });
    await fanPage.reload();
    await expectVisible(fanPage.getByTestId(`following-${creator.username}`).getByText("Offline"));
    await held;
    await trpcCall(creatorPage, "stream.goLive", { title: "Honest live" });
    release();
    await fanPage.unroute("**/trpc/mux.onMany**");
    const [open] = (await onair.db.select().from(broadcast)).filter((b) => b.endedAt === null);
    roomName = open!.roomName;
    await expectState(guest, "starting");
    expect(await player(guest).getByTestId("starting-badge").textContent()).toBe("Starting");
    expect(await player(guest).getByText("Live", { exact: true }).count()).toBe(0);
    // Joined while starting, so the video shows the instant it flows.
    const rtc = await guestRtc.next();
    expect(rtc.grants.video).toMatchObject({ room: roomName, canSubscribe: true, canPublish: false });
    // Its own connection failed (no LiveKit here): said at once, even before the creator's media flows (#25).
    const failed = guest.getByTestId("player-failed");
    await expectVisible(failed, 20_000);
    expect(await player(guest).getAttribute("data-media-state")).toBe("unreachable");
    expect(await failed.textContent()).toContain(`${creator.username} is starting the stream, but this browser couldn't reach`);

    await expectVisible(fanPage.getByTestId(`following-${creator.username}`).getByText("Starting…"));
    const home = await pages.open();
    await home.goto(onair.url);
    await expectVisible(home.getByRole("heading", { name: "Nobody is live right now" }));
    await home.close();
    await screenshot(guest, "state-starting");
  });

  it("live: LiveKit's signed track_published turns it live at once; the viewer's own failed connection is named as theirs, with Retry", async () => {
    expect(await webhook("track_published", { track: "TR_cam", tracks: ["TR_cam"] })).toBe("applied");
    await expectState(guest, "live");
    await expectVisible(player(guest).getByText("Live", { exact: true }));
    const failed = guest.getByTestId("player-failed");
    await expectVisible(failed, 20_000);
    expect(await failed.textContent()).toContain("Your connection can't reach the video");
    expect(await failed.textContent()).toContain(livekitUrl);
    await expectVisible(failed.getByRole("button", { name: "Retry" }));

    await expectVisible(fanPage.getByTestId(`following-${creator.username}`).getByText("Honest live"));
    await expectVisible(fanPage.getByTestId("following-list").getByText("1 live"));
    const home = await pages.open();
    await home.goto(onair.url);
    await expectVisible(home.getByTestId(`stream-card-${creator.username}`));
    await expectVisible(home.getByTestId("live-summary"));
    expect(await home.getByTestId("live-summary").textContent()).toContain("1 channel live");
    await home.close();
    await screenshot(guest, "state-live");
  });

  it("a guest opening the live channel joins LiveKit with the token its page carried: no API call first, joined before the player rendered", async () => {
    const arrival = await pages.open();
    const arrivalRtc = await interceptLiveKit(arrival);
    const calls: string[] = [];
    arrival.on("request", (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith("/trpc/")) calls.push(url.pathname.slice("/trpc/".length));
    });
    await arrival.goto(`${onair.url}/${creator.username}`);
    const rtc = await arrivalRtc.next();
    expect(rtc.grants.sub).toMatch(/^guest-/);
    expect(rtc.grants.video).toMatchObject({ room: roomName, canSubscribe: true, canPublish: false, hidden: true });
    await expectVisible(arrival.getByTestId("player-failed"), 20_000);
    expect(await arrival.getByTestId("live-player").getAttribute("data-join")).toBe("early");
    expect(arrivalRtc.seen).toHaveLength(1); // the player took the early room: one connection, not two
    // Not before the join, nor since: the page never asked for the channel or a token.
    expect(calls.filter((path) => /stream\.(token|byUsername)/.test(path))).toEqual([]);
    await arrival.close();
  });

  it("back to starting on track_unpublished and on heartbeat({ publishing: false }); live again on heartbeat({ publishing: true })", async () => {
    expect(await webhook("track_unpublished", { track: "TR_cam", tracks: ["TR_cam"] })).toBe("applied");
    await expectState(guest, "starting");
    await expectVisible(fanPage.getByTestId(`following-${creator.username}`).getByText("Starting…"));
    await trpcCall(creatorPage, "stream.heartbeat", { publishing: true });
    await expectState(guest, "live");
    await trpcCall(creatorPage, "stream.heartbeat", { publishing: false });
    await expectState(guest, "starting");
    await trpcCall(creatorPage, "stream.heartbeat", { publishing: true });
    await expectState(guest, "live");
    expect(await webhook("participant_left")).toBe("applied");
    await expectState(guest, "starting");
  });

  it("ended: the broadcast this page watched ends — without a reload", async () => {
    await trpcCall(creatorPage, "stream.end");
    await expectState(guest, "ended");
    await expectVisible(guest.getByTestId("stream-ended"));
    expect(await guest.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await expectVisible(fanPage.getByTestId(`following-${creator.username}`).getByText("Offline"));
  });

  it("the Go Live page checks LiveKit answers before going live, and says so when it doesn't", async () => {
    await creatorPage.goto(`${onair.url}/dashboard/stream`);
    const failed = creatorPage.getByTestId("preflight-failed");
    await expectVisible(failed, 20_000);
    expect(await failed.textContent()).toContain(livekitUrl);
    expect(await creatorPage.getByTestId("go-live-button").isDisabled()).toBe(true);
    await screenshot(creatorPage, "state-preflight-failed");

    await answerLiveKitPreflight(creatorPage, livekitUrl);
    await failed.getByRole("button", { name: "Check again" }).click();
    await waitFor("the Go Live button to be enabled", async () => !(await creatorPage.getByTestId("go-live-button").isDisabled()), 20_000);
    expect(await failed.count()).toBe(0);
  });

  it("ran without uncaught page errors", () => {
    expect(pages.errors).toEqual([]);
  });
});
