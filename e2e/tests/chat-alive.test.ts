import type { Browser, Page } from "playwright-core";
import { chatCooldown } from "@onair/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatInput, chatRow, chatSubscribed, LIVEKIT_ENV, sendChat, trpcCall } from "./chat-helpers";
import { account, expectHidden, expectVisible, launchBrowser, Pages, screenshot, startOnAir, type OnAir } from "./harness";

const admin = account("alive_admin");
const creator = account("alive_owl");
const viewer = account("Pixel_Alive");

describe("search is honest, chat feels alive", () => {
  let onair: OnAir;
  let browser: Browser;
  let pages: Pages;
  let creatorPage: Page;
  let viewerPage: Page;
  const channelUrl = () => `${onair.url}/${creator.username}`;
  const enabled = (page: Page) => expect.poll(() => chatInput(page).isEnabled(), { timeout: 10_000 }).toBe(true);
  /** As if every chat limit's window had passed (on the database's clock). */
  const windowPasses = () => onair.db.update(chatCooldown).set({ lastSentAt: new Date(0) });

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

  afterAll(async () => {
    await pages?.close();
    await browser?.close();
    await onair?.close();
  });

  it("search badges a channel LIVE only while its media flows: a starting one says Starting…", async () => {
    await trpcCall(creatorPage, "stream.goLive", { title: "Warming up the synths" });
    await viewerPage.goto(`${onair.url}/?q=alive_owl`);
    const card = viewerPage.getByTestId("search-results").getByTestId(`stream-card-${creator.username}`);
    await expectVisible(card);
    await expectVisible(card.getByText("Starting…"));
    expect(await card.getByText("Live", { exact: true }).count()).toBe(0);
    expect(await card.textContent()).not.toMatch(/viewer/);
    await screenshot(viewerPage, "search-starting");

    await trpcCall(creatorPage, "stream.heartbeat", { publishing: true });
    await viewerPage.reload();
    await expectVisible(card.getByText("Live", { exact: true }));
    expect(await card.textContent()).toMatch(/0\s*viewers/);
    await trpcCall(creatorPage, "stream.end");
  });

  it("links are clickable (http and https only, safe attributes) and @you stands out for the one mentioned", async () => {
    await creatorPage.goto(channelUrl());
    await viewerPage.goto(channelUrl());
    await enabled(creatorPage);
    await enabled(viewerPage);

    const text = "hey @pixel_alive, the docs: https://example.com/docs?x=1 (javascript:alert(1) stays text)";
    await sendChat(creatorPage, text);
    const row = chatRow(viewerPage, "the docs:");
    await expectVisible(row);
    expect(await row.textContent()).toContain(text);
    const links = row.getByRole("link");
    expect(await links.count()).toBe(1);
    expect(await links.getAttribute("href")).toBe("https://example.com/docs?x=1");
    expect(await links.getAttribute("rel")).toBe("noopener nofollow ugc");
    expect(await links.getAttribute("target")).toBe("_blank");
    expect(await row.locator('a[href^="javascript"]').count()).toBe(0);
    // Mentioned: the viewer's row is marked, their name highlighted; the creator's own copy is not.
    expect(await row.getAttribute("data-mentioned")).toBe("true");
    expect(await row.getByTestId("mention-self").textContent()).toBe("@pixel_alive");
    const creatorsCopy = chatRow(creatorPage, "the docs:");
    await expectVisible(creatorsCopy);
    expect(await creatorsCopy.getAttribute("data-mentioned")).toBeNull();

    await windowPasses();
    await sendChat(viewerPage, "<a href=javascript:alert(1)>click</a> @Alive_Owl");
    const markup = chatRow(creatorPage, "click</a>");
    await expectVisible(markup);
    expect(await markup.getByRole("link").count()).toBe(0);
    expect(await markup.getAttribute("data-mentioned")).toBe("true");
    await screenshot(viewerPage, "chat-links-mention");
  });

  it("reactions float over everyone's player, counted, within a second", async () => {
    await windowPasses();
    await viewerPage.goto(channelUrl());
    const guest = await pages.open();
    await guest.goto(channelUrl());
    await expectVisible(chatSubscribed(guest)); // reactions are announced, not replayed
    await expectVisible(chatSubscribed(viewerPage));
    const heart = viewerPage.getByTestId("chat-panel").getByRole("button", { name: "React with Heart" });
    await expectVisible(heart);
    expect(await guest.getByTestId("reaction-bar").count()).toBe(0); // a guest may not react
    const hearts = (page: Page) =>
      page
        .getByTestId("reaction-float")
        .locator('[data-reaction="heart"]')
        .evaluateAll((els) => els.reduce((sum, el) => sum + Number(el.getAttribute("data-count")), 0));
    const started = Date.now();
    await heart.click();
    await expect.poll(() => hearts(guest), { timeout: 5000, interval: 25 }).toBe(1);
    console.log(`a heart reached another viewer's player in ${Date.now() - started} ms (click to bubble)`);
    await heart.click();
    await heart.click();
    await expect.poll(() => hearts(guest), { timeout: 5000, interval: 25 }).toBe(3);
    expect(await guest.getByTestId("reaction-bubble").count()).toBeLessThanOrEqual(3);
    await expect.poll(() => hearts(viewerPage), { timeout: 5000, interval: 50 }).toBeGreaterThan(0);
    await screenshot(viewerPage, "chat-reactions");
    await guest.context().close();
  });

  it("a refused message says why in words: too fast, timed out with time left, blocked from the channel", async () => {
    // The viewer's last message counts as sent just now, ten seconds ahead: the base limit refuses.
    await onair.db.update(chatCooldown).set({ lastSentAt: sql`now() + interval '10 seconds'` });
    await sendChat(viewerPage, "one more");
    await expectVisible(viewerPage.getByTestId("chat-composer-status").getByText(/^Slow down: wait \d+ s$/));
    expect(await chatInput(viewerPage).inputValue()).toBe("one more");
    await screenshot(viewerPage, "chat-slow-down");
    await windowPasses();
    await expectVisible(viewerPage.getByText("Enter to send"), 15_000);

    await trpcCall(creatorPage, "moderation.timeout", { channel: creator.username, username: viewer.username, minutes: 10 });
    // The page hears of the timeout at once (the `restricted` event) and says why, with the time left.
    const notice = viewerPage.getByTestId("chat-notice");
    await expectVisible(notice.getByText(/You are timed out in this chat until \d\d:\d\d UTC \((10|9) min left\)/));
    expect(await chatInput(viewerPage).isDisabled()).toBe(true);
    await screenshot(viewerPage, "chat-timed-out");

    await trpcCall(creatorPage, "moderation.block", { channel: creator.username, username: viewer.username });
    await viewerPage.reload();
    await expectVisible(notice.getByText("The creator has blocked you from this channel"));
    await expectHidden(notice.getByText(/banned/));
    await screenshot(viewerPage, "chat-blocked");
    expect(pages.errors).toEqual([]);
  });
});
