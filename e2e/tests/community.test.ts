import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatInput, chatRow, chatSubscribed, sendChat, trpcCall } from "./chat-helpers";
import {
  account,
  expectHidden,
  expectVisible,
  freePort,
  launchBrowser,
  overlaps,
  Pages,
  painted,
  screenshot,
  startOnAir,
  WIDTHS,
  type OnAir,
} from "./harness";
import { answerLiveKitPreflight, interceptLiveKit, LIVEKIT_TEST_KEY, LIVEKIT_TEST_SECRET } from "./live-helpers";

const admin = account("ada_admin");
const creator = account("alice_host");
const moderator = account("bob_mod");
const troll = account("carol_troll");
const viewer = account("dan_viewer");

describe("community: a moderation team, notices, restrictions, creator alerts", () => {
  let onair: OnAir;
  let browser: Browser;
  let pages: Pages;
  let creatorPage: Page;
  let modPage: Page;
  let trollPage: Page;
  let viewerPage: Page;
  const channelUrl = () => `${onair.url}/${creator.username}`;
  const enabled = (page: Page) => expect.poll(() => chatInput(page).isEnabled(), { timeout: 10_000 }).toBe(true);

  let livekitUrl: string;

  beforeAll(async () => {
    livekitUrl = `ws://localhost:${await freePort()}`;
    onair = await startOnAir({ LIVEKIT_URL: livekitUrl, LIVEKIT_API_KEY: LIVEKIT_TEST_KEY, LIVEKIT_API_SECRET: LIVEKIT_TEST_SECRET });
    browser = await launchBrowser();
    // No LiveKit server here: the player's WebSocket is answered (and closed) by the test.
    pages = new Pages(browser, interceptLiveKit);
    const adminPage = await pages.signedUp(onair.url, admin);
    creatorPage = await pages.signedUp(onair.url, creator);
    modPage = await pages.signedUp(onair.url, moderator);
    trollPage = await pages.signedUp(onair.url, troll);
    viewerPage = await pages.signedUp(onair.url, viewer);
    await trpcCall(creatorPage, "creator.requestApproval");
    await trpcCall(adminPage, "admin.approveCreator", { username: creator.username });
  });

  afterAll(async () => {
    await pages?.close();
    await browser?.close();
    await onair?.close();
  });

  it("the creator appoints a moderator in the dashboard; the moderator's messages carry a badge", async () => {
    await creatorPage.goto(`${onair.url}/dashboard/community`);
    const team = creatorPage.getByTestId("moderators");
    await expectVisible(team.getByText("No moderators yet."));
    await team.getByLabel("Username").fill(moderator.username);
    await team.getByRole("button", { name: "Add moderator" }).click();
    await expectVisible(creatorPage.getByText(`${moderator.username} is now a moderator`));
    await expectVisible(team.getByTestId("moderator").filter({ hasText: moderator.username }));
    await screenshot(creatorPage, "dashboard-community");

    await modPage.goto(channelUrl());
    await viewerPage.goto(channelUrl());
    await enabled(modPage);
    await sendChat(modPage, "Hi all, I keep things friendly here");
    const row = chatRow(viewerPage, "I keep things friendly here");
    await expectVisible(row.getByTestId("badge-moderator"));
    expect(await row.getByTitle("Moderator").count()).toBe(1);
  });

  it("a moderator times someone out: a toast, a notice for moderators only, the messages gone for everyone", async () => {
    await trollPage.goto(channelUrl());
    await enabled(trollPage);
    await sendChat(trollPage, "buy cheap followers at spam dot example");
    const spam = chatRow(modPage, "buy cheap followers");
    await expectVisible(spam);
    await expectVisible(chatRow(viewerPage, "buy cheap followers"));

    await spam.hover();
    await spam.getByRole("button", { name: `Moderate ${troll.username}'s message` }).click();
    await expectVisible(modPage.getByRole("menuitem", { name: "Timeout…" }));
    expect(await modPage.getByRole("menuitem", { name: "Block from watching" }).count()).toBe(0); // the creator's alone
    await modPage.getByRole("menuitem", { name: "Timeout…" }).click();
    const dialog = modPage.getByRole("dialog", { name: `Time out ${troll.username}` });
    await expectVisible(dialog);
    expect(await dialog.getByRole("radio", { name: "10 min" }).isChecked()).toBe(true); // the default
    await dialog.getByRole("button", { name: "Time out" }).click();

    const toast = modPage.locator("[data-sonner-toast]").filter({ hasText: `${troll.username} is timed out for 10 min` });
    await expectVisible(toast);
    // Toasts never cover the chat composer, at either width.
    for (const size of WIDTHS) {
      await modPage.setViewportSize(size);
      await painted(modPage);
      expect(overlaps(await toast.boundingBox(), await chatInput(modPage).boundingBox())).toBe(false);
    }
    await modPage.setViewportSize(WIDTHS[0]);
    const notice = `${troll.username} was timed out for 10 minutes by ${moderator.username}`;
    await expectVisible(modPage.getByTestId("moderation-notice").filter({ hasText: notice }));
    await expectHidden(chatRow(viewerPage, "buy cheap followers"));
    await expectHidden(chatRow(modPage, "buy cheap followers"));
    expect(await viewerPage.getByTestId("moderation-notice").count()).toBe(0);
    await expectVisible(trollPage.getByTestId("chat-notice").getByText(/timed out/));
    await screenshot(modPage, "chat-moderator-notice");
  });

  it("the creator sees the restriction in the dashboard and lifts it", async () => {
    await creatorPage.goto(`${onair.url}/dashboard/community`);
    const restrictions = creatorPage.getByTestId("restrictions");
    const entry = restrictions.getByTestId("restriction").filter({ hasText: troll.username });
    await expectVisible(entry.getByText(/Timed out/));
    await expectVisible(entry.getByTestId("time-left").getByText(/^· (10:00|9:\d\d) left$/));
    await screenshot(creatorPage, "dashboard-restrictions");
    await entry.getByRole("button", { name: `Lift ${troll.username}'s restriction` }).click();
    await expectVisible(creatorPage.getByText(`${troll.username}'s restriction is lifted`));
    await expectVisible(restrictions.getByText("Nobody is restricted."));
    await enabled(trollPage);
  });

  it('blocking a watching viewer switches their page to "You can\'t watch this stream" at once', async () => {
    await trpcCall(creatorPage, "stream.goLive");
    await trollPage.goto(channelUrl());
    await expectVisible(trollPage.getByTestId("live-player"));
    // Watching, with the page's chat stream open (the block is announced on it).
    await expectVisible(chatSubscribed(trollPage));
    await trpcCall(creatorPage, "moderation.block", { channel: creator.username, username: troll.username });
    await expectVisible(trollPage.getByText("You can't watch this stream"));
    expect(await trollPage.getByTestId("player-unavailable").textContent()).toContain("blocked you from watching");
    await trpcCall(creatorPage, "moderation.unban", { channel: creator.username, username: troll.username });
    await trpcCall(creatorPage, "stream.end"); // the studio below starts from Go Live
  });

  it("the Go Live studio shows follows and gifts as they happen, with an alert", async () => {
    await answerLiveKitPreflight(creatorPage, livekitUrl); // Go Live waits for LiveKit to answer
    await creatorPage.goto(`${onair.url}/dashboard/stream`);
    await creatorPage.getByTestId("go-live-button").click();
    const feed = creatorPage.getByTestId("activity-feed");
    await expectVisible(creatorPage.locator("[data-testid=activity-feed][data-subscribed=true]")); // alerts are for what happens from now on
    await trpcCall(viewerPage, "follow.follow", { username: creator.username });
    await expectVisible(creatorPage.getByTestId("activity-alert").filter({ hasText: `${viewer.username} followed you` }));
    await trpcCall(viewerPage, "gift.send", {
      username: creator.username,
      giftId: "heart",
      idempotencyKey: "community-e2e-gift-1",
      message: "gg",
    });
    await expectVisible(feed.getByTestId("activity-item").filter({ hasText: `${viewer.username} sent a Heart (10 coins): gg` }));
    await expectVisible(feed.getByTestId("activity-item").filter({ hasText: `${viewer.username} followed you` }));
    await screenshot(creatorPage, "live-studio-activity");
    // Viewers never receive it: their subscription is refused.
    const refused = await viewerPage.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const source = new EventSource("/trpc/stream.onActivity");
          source.addEventListener("serialized-error", (event) => {
            source.close();
            resolve(String(event.data));
          });
        }),
    );
    expect(refused).toContain("FORBIDDEN");
  });
});
