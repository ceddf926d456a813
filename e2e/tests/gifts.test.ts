import { randomUUID } from "node:crypto";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trpcCall } from "./chat-helpers";
import { account, expectHidden, expectVisible, launchBrowser, Pages, painted, resultsDir, screenshot, WIDTHS, type OnAir } from "./harness";
import { interceptLiveKit, startOnAirWithoutLiveKit } from "./live-helpers";

const admin = account("ada_admin");
const creator = account("gift_creator");
const viewer = account("pixel_fan");

interface SendResult {
  transaction: { id: string; price: number };
  balance: number;
  replayed: boolean;
}

describe("gifts: wallet, sending a gift, creator earnings, admin grants", () => {
  let onair: OnAir;
  let browser: Browser;
  let pages: Pages;
  let adminPage: Page;
  let creatorPage: Page;
  let viewerPage: Page;
  /** What the viewer should have, whichever of the (UI / API) sends ran. */
  let balance = 100;
  let earned = 0;
  let giftsSent = 0;
  const channelUrl = () => `${onair.url}/${creator.username}`;
  const text = async (page: Page, testId: string) => (await page.getByTestId(testId).first().textContent()) ?? "";

  /** Viewport (not full-page) shots at both widths: dialogs and overlays are fixed to the viewport. */
  async function viewportShot(page: Page, name: string) {
    for (const size of WIDTHS) {
      await page.setViewportSize(size);
      await painted(page);
      await page.screenshot({ path: path.join(resultsDir, `${name}-${size.width}.png`) });
    }
    await page.setViewportSize(WIDTHS[0]);
  }

  /** The channel page, once it has rendered its header. */
  async function openChannel(page: Page) {
    await page.goto(channelUrl());
    await expectVisible(page.getByTestId("channel-title"));
  }

  beforeAll(async () => {
    ({ onair } = await startOnAirWithoutLiveKit());
    browser = await launchBrowser();
    // No LiveKit server here: the player's WebSocket is answered (and closed) by the test.
    pages = new Pages(browser, interceptLiveKit);
    adminPage = await pages.signedUp(onair.url, admin);
    creatorPage = await pages.signedUp(onair.url, creator);
    viewerPage = await pages.signedUp(onair.url, viewer);
    await trpcCall(creatorPage, "creator.requestApproval");
    await trpcCall(adminPage, "admin.approveCreator", { username: creator.username });
  });

  afterAll(async () => {
    await pages?.close();
    await browser?.close();
    await onair?.close();
  });

  it("shows a new viewer's wallet: 100 welcome coins, where they came from, and that buying isn't available yet", async () => {
    await viewerPage.goto(`${onair.url}/wallet`);
    await expect.poll(() => text(viewerPage, "wallet-balance")).toContain("100");
    await expectVisible(viewerPage.getByTestId("wallet-credits").getByText("Welcome bonus"));
    await expectVisible(viewerPage.getByText("Buying coins isn't available yet"));
    await expectVisible(viewerPage.getByText("You haven't sent any gifts yet."));
    await screenshot(viewerPage, "wallet-new");

    await viewerPage.getByRole("button", { name: `Account menu for ${viewer.username}` }).click();
    await expect.poll(() => text(viewerPage, "menu-wallet")).toContain("100 coins");
    await viewerPage.keyboard.press("Escape");
  });

  it("lets the creator go live (through the API: the Go Live UI is tested elsewhere)", async () => {
    const live = await trpcCall<{ stream: { isLive: boolean } }>(creatorPage, "stream.goLive", { title: "Gift night" });
    expect(live.stream.isLive).toBe(true);
    await openChannel(viewerPage);
    await expectVisible(viewerPage.getByTestId("live-player"));
  });

  it("sends a gift with the channel page's Send a gift dialog", async () => {
    await openChannel(viewerPage);
    const button = viewerPage.getByRole("button", { name: "Send a gift" });
    await expectVisible(button);
    await button.click();
    const dialog = viewerPage.getByRole("dialog", { name: `Send a gift to ${creator.username}` });
    await expectVisible(dialog);
    await expect.poll(() => text(viewerPage, "gift-balance")).toContain(String(balance));
    expect(await dialog.getByRole("radio", { name: /Crown/ }).isDisabled()).toBe(true);
    await dialog.getByRole("radio", { name: /Star/ }).check({ force: true });
    await dialog.getByLabel("Message (optional)").fill("Great stream!");
    await viewportShot(viewerPage, "gift-dialog");
    await dialog.getByRole("button", { name: /Send Star/ }).click();
    balance -= 25;
    earned += 25;
    giftsSent += 1;
    await expectVisible(viewerPage.getByText(`⭐ Star sent to ${creator.username}`));
    await expectVisible(viewerPage.getByText(`You have ${balance} coins left.`));

    // A guest sees the prices, and why Send is off: sign in first.
    const guest = await pages.open();
    await openChannel(guest);
    await guest.getByRole("button", { name: "Send a gift" }).click();
    const guestDialog = guest.getByRole("dialog", { name: `Send a gift to ${creator.username}` });
    await expectVisible(guestDialog.getByRole("link", { name: "Sign in" }));
    expect(await guestDialog.getByTestId("gift-send").isDisabled()).toBe(true);
    await viewportShot(guest, "gift-dialog-guest");
    await guest.keyboard.press("Escape");
    await expectHidden(guestDialog);
  });

  it("sends a gift through the API exactly once per idempotency key", async () => {
    await trpcCall(creatorPage, "stream.heartbeat");
    const idempotencyKey = randomUUID();
    const input = { username: creator.username, giftId: "heart", idempotencyKey, message: "Hello from the API" };
    const first = await trpcCall<SendResult>(viewerPage, "gift.send", input);
    balance -= 10;
    earned += 10;
    giftsSent += 1;
    expect(first).toMatchObject({ balance, replayed: false });
    // A network retry of the same action: no second charge.
    const again = await trpcCall<SendResult>(viewerPage, "gift.send", input);
    expect(again).toMatchObject({ balance, replayed: true, transaction: { id: first.transaction.id } });
    await expect(trpcCall(viewerPage, "gift.send", { ...input, giftId: "wave" })).rejects.toThrow(/idempotencyKey/);
    // Without a message: a gift's message takes a chat slot (slow mode), which the first send just used.
    await expect(
      trpcCall(viewerPage, "gift.send", { ...input, message: undefined, giftId: "crown", idempotencyKey: randomUUID() }),
    ).rejects.toThrow(/Not enough coins/);
  });

  it("plays the gift on the player and bumps the creator's running total on Go Live", async () => {
    await openChannel(creatorPage);
    // Its own context: the channel page and Go Live each hold several SSE streams, and one context
    // shares Chrome's six HTTP/1.1 connections per host.
    const studio = await pages.open(undefined, { storageState: await creatorPage.context().storageState() });
    await studio.goto(`${onair.url}/dashboard/stream`);
    await expectVisible(studio.getByTestId("live-studio"), 20_000);
    const total = studio.getByTestId("broadcast-total");
    await expect.poll(() => total.getAttribute("aria-label")).toBe(`This stream: ${earned} coins from ${giftsSent} gifts`);

    await trpcCall(viewerPage, "gift.send", {
      username: creator.username,
      giftId: "wave",
      idempotencyKey: randomUUID(),
      message: "👋 hi!",
    });
    balance -= 5;
    earned += 5;
    giftsSent += 1;
    await expectVisible(creatorPage.getByTestId("gift-burst-item").filter({ hasText: `${viewer.username} sent a Wave` }));
    // The burst at its fullest whatever the machine's speed: its animations held at 40% of their run.
    await creatorPage.getByTestId("gift-burst-item").evaluateAll((items) => {
      for (const animation of items.flatMap((item) => item.getAnimations({ subtree: true }))) {
        animation.currentTime = Number(animation.effect?.getComputedTiming().duration ?? 0) * 0.4;
        animation.pause();
      }
    });
    await viewportShot(creatorPage, "gift-burst");
    await expect.poll(() => total.getAttribute("aria-label")).toBe(`This stream: ${earned} coins from ${giftsSent} gifts`);
    await studio.screenshot({ path: path.join(resultsDir, "go-live-total-1440.png") });
    await studio.close();
  });

  it("shows the lower balance and the sent gifts on /wallet", async () => {
    await viewerPage.goto(`${onair.url}/wallet`);
    await expect.poll(() => text(viewerPage, "wallet-balance")).toContain(String(balance));
    await expectVisible(viewerPage.getByTestId("wallet-sent").getByText(`Heart to ${creator.username}`));
    expect(await viewerPage.getByTestId("wallet-sent").getByRole("listitem").count()).toBe(giftsSent);
    await screenshot(viewerPage, "wallet");
  });

  it("shows the creator's earnings per broadcast and the latest gifts on /dashboard/earnings", async () => {
    await trpcCall(creatorPage, "stream.end");
    await creatorPage.goto(`${onair.url}/dashboard`);
    await creatorPage.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Earnings" }).click();
    await expect.poll(() => creatorPage.url()).toBe(`${onair.url}/dashboard/earnings`);
    await expect.poll(() => text(creatorPage, "earnings-total")).toContain(String(earned));
    const rows = creatorPage.getByTestId("earnings-row");
    await expectVisible(rows);
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(String(earned));
    await expectVisible(creatorPage.getByTestId("earnings-latest").getByText(`${viewer.username} sent a Heart`));
    expect(await creatorPage.getByTestId("earnings-latest").getByRole("listitem").count()).toBe(giftsSent);
    await screenshot(creatorPage, "earnings");
  });

  it("lets an admin grant coins on /admin, and the viewer sees them with the reason", async () => {
    await adminPage.goto(`${onair.url}/admin`);
    const form = adminPage.getByTestId("grant-coins");
    await form.getByLabel("Username").fill("nobody_here");
    await form.getByLabel("Amount").fill("50");
    await form.getByLabel("Reason").fill("Community event prize");
    await form.getByRole("button", { name: "Grant coins" }).click();
    await expectVisible(form.locator('[data-field-error="grant-username"]'));

    await form.getByLabel("Username").fill(viewer.username);
    await form.getByRole("button", { name: "Grant coins" }).click();
    balance += 50;
    await expectVisible(adminPage.getByText(`Granted 50 coins to ${viewer.username}`));
    await expectVisible(adminPage.getByText(`Their balance is now ${balance} coins.`));
    await screenshot(adminPage, "admin-grant-coins");

    await viewerPage.goto(`${onair.url}/wallet`);
    await expect.poll(() => text(viewerPage, "wallet-balance")).toContain(String(balance));
    await expectVisible(viewerPage.getByTestId("wallet-credits").getByText("Community event prize"));
  });

  it("raised no uncaught errors in any page", () => {
    expect(pages.errors).toEqual([]);
  });
});
