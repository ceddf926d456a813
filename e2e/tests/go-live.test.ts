import type { Browser, Page } from "playwright-core";
import { broadcast, user } from "@onair/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  account,
  expectHidden,
  expectVisible,
  freePort,
  launchBrowser,
  Pages,
  screenshot,
  signUp,
  startOnAir,
  type OnAir,
} from "./harness";
import {
  answerLiveKitPreflight,
  beatsSayPublishing,
  interceptLiveKit,
  LIVEKIT_TEST_KEY,
  LIVEKIT_TEST_SECRET,
  sendWebhook,
  waitFor,
} from "./live-helpers";

const creator = account("studio_sam");
const TITLE = "Fake camera, real pipeline";

describe("going live: preview, goLive → LiveKit, the viewer's channel flips live and ended", () => {
  let onair: OnAir;
  let livekitUrl: string;
  let browser: Browser;
  let pages: Pages;
  let studio: Page;
  let viewer: Page;
  let studioRtc: Awaited<ReturnType<typeof interceptLiveKit>>;
  let viewerRtc: Awaited<ReturnType<typeof interceptLiveKit>>;
  let roomName = "";
  let creatorId = "";

  const openBroadcasts = async () => (await onair.db.select().from(broadcast)).filter((b) => b.endedAt === null);

  beforeAll(async () => {
    // Nothing listens on this port: the browser's LiveKit WebSocket is intercepted by the test.
    livekitUrl = `ws://localhost:${await freePort()}`;
    onair = await startOnAir({ LIVEKIT_URL: livekitUrl, LIVEKIT_API_KEY: LIVEKIT_TEST_KEY, LIVEKIT_API_SECRET: LIVEKIT_TEST_SECRET });
    browser = await launchBrowser();
    pages = new Pages(browser);
    studio = await pages.open();
    viewer = await pages.open();
    studioRtc = await interceptLiveKit(studio);
    viewerRtc = await interceptLiveKit(viewer);
    // The Go Live page's pre-flight finds "LiveKit" answering (only its WebSocket is refused, below).
    await answerLiveKitPreflight(studio, livekitUrl);
  });

  afterAll(async () => {
    await pages?.close();
    await browser?.close();
    await onair?.close();
  });

  it("signs up the first account (admin) and approves it as a creator", async () => {
    await signUp(studio, onair.url, creator);
    await expectVisible(studio.getByTestId("user-menu-name").getByText(creator.username));
    await studio.goto(`${onair.url}/become-creator`);
    await studio.getByRole("button", { name: "Apply to become a creator" }).click();
    await expectVisible(studio.getByTestId("creator-status").getByText("Pending review"));
    await studio.goto(`${onair.url}/admin`);
    await studio.getByRole("button", { name: `Approve ${creator.username}` }).click();
    await expectVisible(studio.getByText(`${creator.username} is now a creator`));
    const [row] = (await onair.db.select().from(user)).filter((u) => u.username === creator.username);
    creatorId = row!.id;
  });

  it("shows the viewer the offline channel before the creator goes live", async () => {
    await viewer.goto(`${onair.url}/${creator.username}`);
    await expectVisible(viewer.getByTestId("offline-badge"));
    await viewer.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    await screenshot(viewer, "live-channel-offline");
  });

  it("previews the fake camera with device pickers and a mic meter", async () => {
    await studio.goto(`${onair.url}/dashboard`);
    await studio.getByRole("link", { name: "Go Live" }).first().click();
    await expectVisible(studio.getByRole("heading", { name: "Go live" }));
    await studio.waitForFunction(() => {
      const video = document.querySelector<HTMLVideoElement>('[data-testid="camera-preview"]');
      return video !== null && video.readyState >= 2 && video.currentTime > 0;
    });
    const before = await studio.$eval<number, HTMLVideoElement>('[data-testid="camera-preview"]', (v) => v.currentTime);
    await studio.waitForFunction(
      (t) => document.querySelector<HTMLVideoElement>('[data-testid="camera-preview"]')!.currentTime > t + 0.3,
      before,
    );
    expect(await studio.locator("#camera-picker option").count()).toBeGreaterThan(0);
    expect(await studio.locator("#mic-picker option").count()).toBeGreaterThan(0);
    await expectVisible(studio.getByTestId("mic-meter"));
    await studio.getByLabel("Stream title").fill(TITLE);
    await screenshot(studio, "live-preview");
  });

  it("says what to do when the camera is blocked", async () => {
    const blocked = await pages.open(studio.context());
    await blocked.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException("Permission denied", "NotAllowedError"));
    });
    await blocked.goto(`${onair.url}/dashboard/stream`);
    await expectVisible(blocked.getByRole("alert").getByText("Camera and microphone are blocked"));
    await expectVisible(blocked.getByText(/allow camera and microphone, then press Try again/));
    await expectVisible(blocked.getByRole("button", { name: "Try again" }));
    expect(await blocked.getByTestId("go-live-button").isDisabled()).toBe(true);
    await screenshot(blocked, "live-preview-blocked");
    await blocked.close();
  });

  it("goes live in one round trip and connects to LiveKit with the publisher's grants", async () => {
    const goLive = studio.waitForResponse((r) => r.url().includes("stream.goLive"));
    await studio.getByTestId("go-live-button").click();
    expect((await goLive).status()).toBe(200);
    const rtc = await studioRtc.next();
    expect(`${rtc.url.protocol}//${rtc.url.host}`).toBe(livekitUrl);
    expect(rtc.url.pathname).toMatch(/^\/rtc/);
    const [open] = await openBroadcasts();
    roomName = open!.roomName;
    expect(roomName).toBe(`broadcast-${open!.id}`);
    expect(rtc.grants.sub).toBe(creatorId);
    expect(rtc.grants.video).toMatchObject({ roomJoin: true, room: roomName, canPublish: true, canSubscribe: true, canPublishData: false });
    expect(rtc.grants.video?.hidden).toBeFalsy();

    await expectVisible(studio.getByTestId("live-studio"));
    expect(await studio.getByTestId("live-studio").getAttribute("data-room")).toBe(roomName);
    await expectVisible(studio.getByTestId("live-elapsed"));
    await expectVisible(studio.getByTestId("live-title").getByText(TITLE));
    // No LiveKit server here: the page says so, naming the URL it tried, with a Retry.
    const failed = studio.getByTestId("link-failed");
    await expectVisible(failed, 20_000);
    expect(await failed.textContent()).toContain(livekitUrl);
    await expectVisible(failed.getByRole("button", { name: "Retry" }));
    await screenshot(studio, "live-studio-failed");

    // Retry asks goLive for a fresh token (same broadcast) and connects again.
    await failed.getByRole("button", { name: "Retry" }).click();
    const again = await studioRtc.next();
    expect(again.grants.video).toMatchObject({ room: roomName, canPublish: true });
    expect(again.token).not.toBe(rtc.token);
    await expectVisible(studio.getByTestId("link-failed"), 20_000);
  });

  it("flips the open channel page live without a reload and joins subscribe-only, hidden", async () => {
    await expectVisible(viewer.getByTestId("live-player"), 15_000);
    expect(await viewer.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await expectVisible(viewer.getByTestId("channel-title").getByText(TITLE, { exact: true }));
    const rtc = await viewerRtc.next();
    expect(`${rtc.url.protocol}//${rtc.url.host}`).toBe(livekitUrl);
    expect(rtc.grants.sub).toMatch(/^guest-/);
    expect(rtc.grants.video).toMatchObject({
      roomJoin: true,
      room: roomName,
      canSubscribe: true,
      canPublish: false,
      canPublishData: false,
      hidden: true,
    });
    // No media yet, and the viewer's own connection failed (no LiveKit here): it says so, starting or not (#25).
    await expectVisible(viewer.getByTestId("player-failed").getByText("is starting the stream", { exact: false }), 20_000);
    expect(await viewer.getByTestId("stream-player").getAttribute("data-media-state")).toBe("unreachable");
    await beatsSayPublishing(studio); // the studio agrees with LiveKit's webhook below, as it would with a real server
    expect(
      await sendWebhook(onair.url, { event: "track_published", room: roomName, identity: creatorId, track: "TR_cam", tracks: ["TR_cam"] }),
    ).toBe("applied");
    const failed = viewer.getByTestId("player-failed");
    await expectVisible(failed, 20_000);
    expect(await failed.textContent()).toContain(livekitUrl);
    await screenshot(viewer, "live-channel-live");
  });

  it("gives the creator watching their own channel a viewer identity (never the publisher's)", async () => {
    const own = await pages.open(studio.context());
    const ownRtc = await interceptLiveKit(own);
    await own.goto(`${onair.url}/${creator.username}`);
    const rtc = await ownRtc.next();
    expect(rtc.grants.sub).toBe(`viewer-${creatorId}`);
    expect(rtc.grants.video).toMatchObject({ room: roomName, canPublish: false, hidden: true });
    await own.close();
  });

  it("accepts the page's leave beacon, and a reload comes back live in the same room", async () => {
    // The exact request the page sends on pagehide: the server must accept it (cookies, no CSRF trouble).
    const sent = await studio.evaluate(() => navigator.sendBeacon("/trpc/stream.leave", new Blob(["{}"], { type: "application/json" })));
    expect(sent).toBe(true);
    await waitFor("the server to record the creator leaving", async () => (await openBroadcasts())[0]?.creatorLeftAt);

    await studio.reload();
    const rtc = await studioRtc.next();
    expect(rtc.grants.video).toMatchObject({ room: roomName, canPublish: true });
    await expectVisible(studio.getByTestId("live-studio"));
    expect(await studio.getByTestId("live-studio").getAttribute("data-room")).toBe(roomName);
    const open = await waitFor("goLive to resume the broadcast", async () => {
      const rows = await openBroadcasts();
      return rows.length === 1 && rows[0]!.creatorLeftAt === null ? rows : null;
    });
    expect(open[0]!.roomName).toBe(roomName);
  });

  it("sends the beacon when the creator leaves the page, and coming back in time resumes", async () => {
    await studio.goto("about:blank");
    await waitFor("the pagehide beacon to reach the server", async () => (await openBroadcasts())[0]?.creatorLeftAt);
    await studio.goto(`${onair.url}/dashboard/stream`);
    const rtc = await studioRtc.next();
    expect(rtc.grants.video).toMatchObject({ room: roomName });
    await expectVisible(studio.getByTestId("live-studio"));
    await waitFor("the broadcast to be resumed", async () => (await openBroadcasts())[0]?.creatorLeftAt === null);
  });

  it("asks before an in-app link or Back leaves the live studio: Stay live stays, Leave anyway leaves", async () => {
    const nav = studio.getByRole("navigation", { name: "Dashboard" });
    const question = studio.getByRole("dialog", { name: "Leave while you're live?" });
    const path = () => new URL(studio.url()).pathname;

    await nav.getByRole("link", { name: "Earnings" }).click();
    await expectVisible(question);
    await screenshot(studio, "live-leave-confirm");
    await question.getByRole("button", { name: "Stay live" }).click();
    await expectHidden(question);
    expect(path()).toBe("/dashboard/stream");
    await expectVisible(studio.getByTestId("live-studio"));

    await nav.getByRole("link", { name: "Earnings" }).click();
    await question.getByRole("button", { name: "Leave anyway" }).click();
    await expectVisible(studio.getByTestId("earnings-total"));
    expect(path()).toBe("/dashboard/earnings");

    // Back in time: the studio resumes, and the browser's Back button asks too (and Stay live keeps the page).
    await nav.getByRole("link", { name: "Go Live" }).click();
    expect((await studioRtc.next()).grants.video).toMatchObject({ room: roomName });
    await expectVisible(studio.getByTestId("live-studio"));
    await studio.evaluate(() => history.back());
    await expectVisible(question);
    await question.getByRole("button", { name: "Stay live" }).click();
    await expectHidden(question);
    expect(path()).toBe("/dashboard/stream");
    await expectVisible(studio.getByTestId("live-studio"));
    await waitFor("the broadcast to be resumed", async () => (await openBroadcasts())[0]?.creatorLeftAt === null);
  });

  it("ends the stream after confirming, and the viewer sees “stream ended”", async () => {
    await studio.getByRole("button", { name: "End stream" }).click();
    const dialog = studio.getByRole("dialog", { name: "End your stream?" });
    await expectVisible(dialog);
    await screenshot(studio, "live-end-confirm");
    await dialog.getByRole("button", { name: "End stream" }).click();
    await expectVisible(studio.getByTestId("ended-note"));
    await expectVisible(studio.getByTestId("go-live-button"));
    expect(await openBroadcasts()).toHaveLength(0);
    await screenshot(studio, "live-studio-ended");

    await expectVisible(viewer.getByTestId("stream-ended"), 15_000);
    expect(await viewer.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await screenshot(viewer, "live-channel-ended");
  });

  it("ran without uncaught page errors", () => {
    expect(pages.errors).toEqual([]);
  });
});
