import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trpcCall } from "./chat-helpers";
import { account, expectHidden, expectVisible, launchBrowser, Pages, screenshot, startOnAir, WIDTHS, type OnAir } from "./harness";
import { interceptLiveKit, LIVEKIT_TEST_KEY, LIVEKIT_TEST_SECRET, sendWebhook } from "./live-helpers";

const admin = account("ada_alerts");
const creator = account("star_alerts");
const fan = account("fan_alerts");

/** Go-live alerts in the browser: the follow button's alert settings, the bell's count live, its menu. */
describe("go-live alerts", () => {
  let onair: OnAir;
  let browser: Browser;
  let pages: Pages;
  let creatorPage: Page;
  let fanPage: Page;

  beforeAll(async () => {
    onair = await startOnAir({ LIVEKIT_API_KEY: LIVEKIT_TEST_KEY, LIVEKIT_API_SECRET: LIVEKIT_TEST_SECRET });
    browser = await launchBrowser();
    pages = new Pages(browser, interceptLiveKit);
    const adminPage = await pages.signedUp(onair.url, admin);
    creatorPage = await pages.signedUp(onair.url, creator);
    fanPage = await pages.signedUp(onair.url, fan);
    await trpcCall(creatorPage, "creator.requestApproval");
    await trpcCall(adminPage, "admin.approveCreator", { username: creator.username });
    await trpcCall(creatorPage, "stream.upsert", { title: "Evening synth jam" });
  });

  afterAll(async () => {
    await pages?.close();
    await browser?.close();
    await onair?.close();
  });

  /** The creator goes live and LiveKit reports the camera published (a signed webhook): media flows. */
  async function goLive() {
    const { roomName } = await trpcCall<{ roomName: string }>(creatorPage, "stream.goLive");
    const { id } = await trpcCall<{ id: string }>(creatorPage, "account.me", undefined, "query");
    expect(await sendWebhook(onair.url, { event: "track_published", room: roomName, identity: id, track: "TR_cam" })).toBe("applied");
  }

  it("following shows the alert bell: in-app on, email off; email can be turned on", async () => {
    await fanPage.goto(`${onair.url}/${creator.username}`);
    await fanPage.getByTestId("follow-button").click();
    const settings = fanPage.getByTestId("alert-settings");
    await expectVisible(settings);
    await settings.click();
    const menu = fanPage.getByTestId("alert-settings-menu");
    await expectVisible(menu);
    const live = menu.getByRole("menuitemcheckbox", { name: /Live alerts/ });
    const email = menu.getByRole("menuitemcheckbox", { name: /Email alerts/ });
    expect(await live.getAttribute("aria-checked")).toBe("true");
    expect(await email.getAttribute("aria-checked")).toBe("false");
    await screenshot(fanPage, "alert-settings");
    await email.click();
    await expect.poll(() => email.getAttribute("aria-checked")).toBe("true");
    await expect
      .poll(async () => (await trpcCall<{ alerts: unknown }>(fanPage, "follow.status", { username: creator.username }, "query")).alerts)
      .toEqual({ inApp: true, email: true });
    await fanPage.keyboard.press("Escape");
    await expectHidden(menu);
  });

  it("the bell counts a followed channel going live without a reload, at 1440 and 375 px; its menu opens the channel", async () => {
    await fanPage.goto(`${onair.url}/`);
    const bell = fanPage.getByTestId("notification-bell");
    await expectVisible(bell);
    expect(await fanPage.getByTestId("notification-count").count()).toBe(0);
    for (const [i, size] of WIDTHS.entries()) {
      await fanPage.setViewportSize(size);
      await goLive();
      await expectVisible(fanPage.getByTestId("notification-count").getByText(String(i + 1)), 20_000);
      expect(await bell.getAttribute("aria-label")).toBe(`Notifications, ${i + 1} unread`);
      await trpcCall(creatorPage, "stream.end");
    }
    await fanPage.setViewportSize(WIDTHS[0]);

    // Keyboard: open the menu, the items are there, Escape closes it
    await bell.focus();
    await fanPage.keyboard.press("Enter");
    const menu = fanPage.getByTestId("notification-menu");
    await expectVisible(menu);
    expect(await menu.getByTestId("notification-item").count()).toBe(2);
    await expectVisible(menu.getByText(`${creator.username} went live`));
    await screenshot(fanPage, "notification-menu");
    await fanPage.keyboard.press("Escape");
    await expectHidden(menu);

    // Choosing an item marks it read and opens the channel
    await bell.click();
    await menu.getByTestId("notification-item").first().click();
    await fanPage.waitForURL(`${onair.url}/${creator.username}`);
    await expectVisible(fanPage.getByTestId("notification-count").getByText("1"));
    await bell.click();
    await menu.getByRole("menuitem", { name: /Mark all read/ }).click();
    await expectHidden(fanPage.getByTestId("notification-count"));
    expect(await bell.getAttribute("aria-label")).toBe("Notifications");
  });
});
