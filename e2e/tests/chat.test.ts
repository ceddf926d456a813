import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { CHAT_CHANNEL } from "@onair/api";
import { chatCooldown, notify, stream } from "@onair/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatInput, chatRow, chatSubscribed, LIVEKIT_ENV, sendChat, trpcCall, viewerJoined } from "./chat-helpers";
import { account, expectHidden, expectVisible, launchBrowser, Pages, resultsDir, screenshot, startOnAir, type OnAir } from "./harness";

const admin = account("ada_admin");
const creator = account("nightowl");
const viewer = account("pixel_fan");

describe("chat, follows and the live directory", () => {
  let onair: OnAir;
  let browser: Browser;
  let pages: Pages;
  let creatorPage: Page;
  let viewerPage: Page;
  const channelUrl = () => `${onair.url}/${creator.username}`;

  const enabled = (page: Page) => expect.poll(() => chatInput(page).isEnabled(), { timeout: 10_000 }).toBe(true);

  beforeAll(async () => {
    onair = await startOnAir(LIVEKIT_ENV);
    browser = await launchBrowser();
    pages = new Pages(browser);
    const adminPage = await pages.signedUp(onair.url, admin);
    creatorPage = await pages.signedUp(onair.url, creator);
    viewerPage = await pages.signedUp(onair.url, viewer);
    await trpcCall(creatorPage, "creator.requestApproval");
    await trpcCall(adminPage, "admin.approveCreator", { username: creator.username });
  });

  /** As if the chat limits' windows had passed (on the clock they read, the database's): every sender's last send moves to long ago. */
  const windowPasses = () => onair.db.update(chatCooldown).set({ lastSentAt: new Date(0) });

  afterAll(async () => {
    await pages?.close();
    await browser?.close();
    await onair?.close();
  });

  it("carries chat both ways and shows markup as text", async () => {
    await creatorPage.goto(channelUrl());
    await viewerPage.goto(channelUrl());
    await enabled(creatorPage);
    await enabled(viewerPage);

    await sendChat(creatorPage, "Welcome to the stream, everyone!");
    const fromCreator = chatRow(viewerPage, "Welcome to the stream, everyone!");
    await expectVisible(fromCreator);
    await expectVisible(fromCreator.getByTitle("Creator"));
    expect(await chatInput(creatorPage).inputValue()).toBe("");

    await sendChat(viewerPage, "Hi from pixel_fan 👋");
    await expectVisible(chatRow(creatorPage, "Hi from pixel_fan 👋"));
    await windowPasses(); // the server allows one message per 0.5 s without slow mode

    await sendChat(viewerPage, "<b>html</b> <img src=x onerror=alert(1)>");
    const literal = chatRow(creatorPage, "<b>html</b>");
    await expectVisible(literal);
    expect(await literal.locator("b, img").count()).toBe(0);
    expect(await literal.textContent()).toContain("<b>html</b> <img src=x onerror=alert(1)>");
    await screenshot(viewerPage, "chat-channel");

    const guest = await pages.open();
    await guest.goto(channelUrl());
    await expectVisible(chatRow(guest, "Welcome to the stream, everyone!"));
    await expectVisible(guest.getByTestId("chat-notice").getByRole("link", { name: "Sign in" }));
    expect(await chatInput(guest).isDisabled()).toBe(true);
    expect(await guest.getByTestId("chat-panel").getByRole("link", { name: "Sign in" }).getAttribute("href")).toBe(
      `/sign-in?next=%2F${creator.username}`,
    );
    await screenshot(guest, "chat-guest");
    await guest.context().close();
  });

  it("clears the composer on send: what is typed while a message is on its way is kept", async () => {
    await windowPasses();
    // chat.send's answer is held back until the next message is typed (its row comes by the chat stream meanwhile).
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const isSend = (url: URL) => url.pathname.split("/").pop()!.split(",").includes("chat.send");
    await viewerPage.route(isSend, async (route) => {
      const response = await route.fetch();
      await released;
      await route.fulfill({ response });
    });
    await sendChat(viewerPage, "first of two");
    await expectVisible(chatRow(viewerPage, "first of two"));
    expect(await chatInput(viewerPage).inputValue()).toBe("");
    await chatInput(viewerPage).pressSequentially("second, typed meanwhile");
    const send = viewerPage.getByTestId("chat-panel").getByRole("button", { name: "Send message" });
    expect(await send.isDisabled()).toBe(true); // still sending the first
    release();
    await expect.poll(() => send.isEnabled()).toBe(true);
    expect(await chatInput(viewerPage).inputValue()).toBe("second, typed meanwhile");
    await viewerPage.unroute(isSend);
    await chatInput(viewerPage).fill("");
  });

  it("blocks a non-follower in followers-only chat and lets them in once they follow", async () => {
    await creatorPage.goto(`${onair.url}/dashboard`);
    await creatorPage.getByRole("switch", { name: "Followers-only" }).click();
    await expectVisible(creatorPage.getByText("Followers-only chat on"));
    const minutes = creatorPage.getByLabel("Follower age");
    await expectVisible(minutes);
    await screenshot(creatorPage, "dashboard-followers-only");
    await creatorPage.goto(channelUrl());

    // The viewer's open page learns of the change live (stream.onStatus), no reload.
    const reason = "Chat is for followers only: follow to chat";
    await expect.poll(() => chatInput(viewerPage).isDisabled(), { timeout: 10_000 }).toBe(true);
    await expectVisible(viewerPage.getByTestId("chat-notice").getByText(reason));
    expect(await chatInput(viewerPage).getAttribute("placeholder")).toBe(reason);
    await screenshot(viewerPage, "chat-followers-only");

    await viewerPage
      .getByTestId("chat-notice")
      .getByRole("button", { name: /Follow/ })
      .click();
    await enabled(viewerPage);
    await sendChat(viewerPage, "Followed and chatting");
    await expectVisible(chatRow(creatorPage, "Followed and chatting"));
  });

  it("shows the slow-mode wait when the server says wait and after sending", async () => {
    await trpcCall(creatorPage, "stream.updateChatSettings", { isChatDelayed: true, slowModeSeconds: 30 });
    await expectVisible(viewerPage.getByTestId("chat-notice").getByText("Slow mode: one message every 30s"));
    await expectVisible(creatorPage.getByTestId("chat-notice").getByText("(you're exempt)"));

    // The viewer sent a message moments ago: the server refuses with retryAfterSeconds.
    await sendChat(viewerPage, "too soon");
    await expectVisible(viewerPage.getByText(/Slow mode: you can send again in ([12]\d|30|\d)s/));
    await expectVisible(viewerPage.getByRole("button", { name: /Wait \d+s to send/ }));
    expect(await chatInput(viewerPage).inputValue()).toBe("too soon");
    await screenshot(viewerPage, "chat-slow-mode");

    // A shorter interval replaces the old wait; after a send the countdown starts from slowModeSeconds.
    await trpcCall(creatorPage, "stream.updateChatSettings", { slowModeSeconds: 3 });
    await expectVisible(viewerPage.getByTestId("chat-notice").getByText("Slow mode: one message every 3s"));
    // The server counts from the viewer's last stored message (the previous test's): 3 s pass for it,
    // and the page's own countdown (from the refusal, now at most 3 s) runs out.
    await windowPasses();
    await expectVisible(viewerPage.getByText("Enter to send"), 15_000);
    await sendChat(viewerPage, "one message in slow mode");
    await expectVisible(chatRow(creatorPage, "one message in slow mode"));
    await expectVisible(viewerPage.getByText(/Slow mode: you can send again in [1-3]s/), 3000);
    await expectVisible(viewerPage.getByText("Enter to send"), 15_000);

    await trpcCall(creatorPage, "stream.updateChatSettings", { isChatDelayed: false });
    await expectHidden(viewerPage.getByTestId("chat-notice").getByText(/Slow mode/));
  });

  it("lets the creator delete a message, which disappears for the viewer", async () => {
    await windowPasses();
    await sendChat(viewerPage, "please delete this one");
    const row = chatRow(creatorPage, "please delete this one");
    await expectVisible(row);
    await row.hover();
    await row.getByRole("button", { name: `Moderate ${viewer.username}'s message` }).click();
    await expectVisible(creatorPage.getByRole("menuitem", { name: "Delete message" }));
    await screenshot(creatorPage, "chat-moderation-menu");
    await creatorPage.getByRole("menuitem", { name: "Delete message" }).click();
    await expectVisible(creatorPage.getByText("Message deleted"));
    await expectHidden(chatRow(viewerPage, "please delete this one"));
    await expectHidden(row);
    await creatorPage.mouse.move(0, 0);
  });

  it("lists the live channel with its viewer count, in the directory and the Following sidebar", async () => {
    const live = await trpcCall<{ roomName: string }>(creatorPage, "stream.goLive", { title: "Late night synthwave" });
    await trpcCall(creatorPage, "stream.heartbeat", { publishing: true }); // the directory lists channels whose media flows
    for (let i = 0; i < 3; i++) await viewerJoined(onair.url, live.roomName);

    await viewerPage.goto(onair.url);
    const card = viewerPage.getByTestId(`stream-card-${creator.username}`);
    await expectVisible(card);
    await expectVisible(card.getByText("Live", { exact: true }));
    expect(await card.textContent()).toMatch(/3\s*viewers/);
    const followed = viewerPage.getByTestId(`following-${creator.username}`).first();
    await expectVisible(followed);
    expect(await followed.textContent()).toMatch(/Live,\s*3\s*viewers/);
    await screenshot(viewerPage, "home-live");

    await viewerPage.setViewportSize({ width: 375, height: 812 });
    await viewerPage.getByRole("button", { name: "Open menu" }).click();
    await expectVisible(viewerPage.getByRole("dialog").getByTestId(`following-${creator.username}`));
    await viewerPage.screenshot({ path: path.join(resultsDir, "following-menu-375.png") });
    await viewerPage.keyboard.press("Escape");
    await viewerPage.setViewportSize({ width: 1440, height: 900 });

    // A gift lands in chat highlighted (the gifts feature announces it there).
    await trpcCall(viewerPage, "gift.send", { username: creator.username, giftId: "heart", idempotencyKey: "e2e-gift-0001" });
    await expectVisible(chatRow(creatorPage, "sent a Heart"));
    await screenshot(creatorPage, "chat-live-gift");

    await trpcCall(creatorPage, "stream.end");
    await viewerPage.goto(onair.url);
    await expectVisible(viewerPage.getByRole("heading", { name: "Nobody is live right now" }));
    await expectVisible(viewerPage.getByTestId("recently-live").getByTestId(`stream-card-${creator.username}`));
    await screenshot(viewerPage, "home-recently-live");
  });

  it("keeps up with a flood of messages: a short DOM, the newest at the bottom, a jump-down button", async () => {
    await viewerPage.goto(channelUrl());
    await enabled(viewerPage);
    // The flood is announced only (never stored): the page's chat stream must be open to hear it.
    await expectVisible(chatSubscribed(viewerPage));
    const [own] = await onair.db.select({ id: stream.id }).from(stream).limit(1).where(eq(stream.title, "Late night synthwave"));
    const user = { id: "flood", username: "flood_bot", displayName: "flood_bot", badge: null };
    const flood = async (from: number, count: number) => {
      const sends = [];
      for (let i = from; i < from + count; i++) {
        const event = {
          type: "message",
          id: 1_000_000 + i,
          kind: "message",
          text: `flood message ${i}`,
          meta: null,
          createdAt: new Date().toISOString(),
          user,
        };
        sends.push(notify(onair.db, CHAT_CHANNEL, JSON.stringify({ streamId: own!.id, event })));
      }
      await Promise.all(sends);
    };
    await flood(0, 800);
    await expectVisible(chatRow(viewerPage, "flood message 799"));
    const rows = await viewerPage.getByTestId("chat-message").count();
    expect(rows).toBeLessThan(100);
    await screenshot(viewerPage, "chat-flood");

    await viewerPage.getByTestId("chat-log").hover();
    await viewerPage.mouse.wheel(0, -600);
    await flood(800, 20);
    const jump = viewerPage.getByRole("button", { name: /New messages/ });
    await expectVisible(jump);
    await jump.click();
    await expectVisible(chatRow(viewerPage, "flood message 819"));
    await expectHidden(jump);
    expect(pages.errors).toEqual([]);
  });
});
