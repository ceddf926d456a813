import type { Browser, Page } from "playwright-core";
import { desc, eq } from "drizzle-orm";
import { broadcast, stageGuest, user } from "@onair/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatInput, chatRow, sendChat, trpcCall } from "./chat-helpers";
import { account, expectHidden, expectVisible, launchBrowser, Pages, painted, screenshot, WIDTHS, type OnAir } from "./harness";
import { interceptLiveKit, startOnAirWithoutLiveKit, waitFor } from "./live-helpers";

const admin = account("st_admin");
const creator = account("st_alice");
const guest = account("st_bob");

/**
 * Issue 26, guest on stage, as people see it: the live creator invites a viewer from the chat menu, the
 * viewer answers a dialog with a camera preview, publishes with a stage token (LiveKit's WebSocket is
 * intercepted here), everyone sees the guest's tile after the creator's, and the creator removes them.
 */
describe("guest on stage", () => {
  let onair: OnAir;
  let browser: Browser;
  let pages: Pages;
  let creatorPage: Page;
  let guestPage: Page;
  let watcherPage: Page;
  let guestId = "";
  let roomName = "";
  const rtc = new Map<Page, Awaited<ReturnType<typeof interceptLiveKit>>>();
  const channelUrl = () => `${onair.url}/${creator.username}`;
  const invitation = (page: Page) => page.getByRole("dialog", { name: `${creator.username} invites you on stage` });
  const guestTile = (page: Page) => page.locator(`[data-testid=stage-tile][data-role=guest][data-username=${guest.username}]`);
  /** The guest's latest invitation's status. */
  const rowStatus = async () => {
    const [row] = await onair.db
      .select({ status: stageGuest.status })
      .from(stageGuest)
      .where(eq(stageGuest.userId, guestId))
      .orderBy(desc(stageGuest.invitedAt))
      .limit(1);
    return row?.status ?? null;
  };

  beforeAll(async () => {
    ({ onair } = await startOnAirWithoutLiveKit());
    browser = await launchBrowser();
    pages = new Pages(browser, async (page) => rtc.set(page, await interceptLiveKit(page)));
    watcherPage = await pages.signedUp(onair.url, admin);
    creatorPage = await pages.signedUp(onair.url, creator);
    guestPage = await pages.signedUp(onair.url, guest);
    await trpcCall(creatorPage, "creator.requestApproval");
    await trpcCall(watcherPage, "admin.approveCreator", { username: creator.username });
    await trpcCall(creatorPage, "stream.goLive");
    const [row] = await onair.db.select({ id: user.id }).from(user).where(eq(user.username, guest.username));
    guestId = row!.id;
    const [open] = await onair.db.select({ roomName: broadcast.roomName }).from(broadcast);
    roomName = open!.roomName;
  });

  afterAll(async () => {
    await pages?.close();
    await browser?.close();
    await onair?.close();
  });

  it("the creator invites from the chat menu; the viewer, on another page, sees the invitation with a camera preview and declines", async () => {
    await creatorPage.goto(channelUrl());
    await guestPage.goto(channelUrl());
    await expect.poll(() => chatInput(guestPage).isEnabled(), { timeout: 10_000 }).toBe(true);
    await sendChat(guestPage, "can I join you on camera?");
    const message = chatRow(creatorPage, "can I join you on camera?");
    await expectVisible(message);
    await guestPage.goto(onair.url); // invitations reach any page
    await message.hover();
    await message.getByRole("button", { name: `Moderate ${guest.username}'s message` }).click();
    await creatorPage.getByRole("menuitem", { name: "Invite on stage" }).click();
    await expectVisible(creatorPage.locator("[data-sonner-toast]").filter({ hasText: `${guest.username} is invited on stage` }));

    const dialog = invitation(guestPage);
    await expectVisible(dialog);
    await guestPage.waitForFunction(() => {
      const video = document.querySelector<HTMLVideoElement>("[data-testid=stage-invitation] [data-testid=camera-preview]");
      return video !== null && video.readyState >= 2 && video.currentTime > 0;
    });
    await expectVisible(dialog.getByTestId("mic-meter"));
    expect(await dialog.locator("#camera-picker option").count()).toBeGreaterThan(0);
    await screenshot(guestPage, "stage-invitation"); // 1440 and 375 px, axe and overflow audited
    await dialog.getByRole("button", { name: "Decline", exact: true }).click();
    await expectHidden(dialog);
    await waitFor("the invitation to be declined", async () => (await rowStatus()) === "declined");
  });

  it("an invitation the creator withdraws closes the viewer's dialog", async () => {
    await trpcCall(creatorPage, "stage.invite", { username: guest.username });
    await expectVisible(invitation(guestPage));
    await trpcCall(creatorPage, "stage.remove", { username: guest.username });
    await expectHidden(invitation(guestPage));
  });

  it("accepting publishes with a stage token: identity stage-<id>, camera and microphone only, no data, 15 minutes at most", async () => {
    await trpcCall(creatorPage, "stage.invite", { username: guest.username });
    const dialog = invitation(guestPage);
    await expectVisible(dialog);
    await expect.poll(() => dialog.getByTestId("stage-accept").isEnabled()).toBe(true); // the camera is ready
    await dialog.getByTestId("stage-accept").click();

    const seen = rtc.get(guestPage)!.seen;
    const stage = await waitFor("the guest's stage connection", async () => seen.find((c) => c.grants.sub === `stage-${guestId}`), 20_000);
    expect(stage.grants.video).toMatchObject({
      roomJoin: true,
      room: roomName,
      canPublish: true,
      canPublishSources: ["camera", "microphone"],
      canPublishData: false,
    });
    expect(stage.grants.name).toBe(guest.username);
    expect(stage.grants.exp! - stage.grants.nbf!).toBeLessThanOrEqual(15 * 60);
    expect(await rowStatus()).toBe("accepted");

    // The channel's page opens to watch along; the bar says where the guest stands (no LiveKit here: it can't reach it).
    await guestPage.waitForURL(channelUrl());
    const bar = guestPage.getByTestId("on-stage-bar");
    await expectVisible(bar.getByText("You're on stage"));
    await expectVisible(guestPage.locator("[data-testid=on-stage-bar][data-state=failed]"), 20_000);
    await expectVisible(bar.getByRole("button", { name: "Leave" }));
    await screenshot(guestPage, "stage-on-stage");
  });

  it("viewers see the creator's tile first and the guest's beside it (stacked on a phone)", async () => {
    await watcherPage.goto(channelUrl());
    for (const page of [watcherPage, creatorPage]) await expectVisible(guestTile(page), 20_000); // the list refreshes every 10 s
    const roles = await watcherPage.getByTestId("stage-tile").evaluateAll((tiles) => tiles.map((t) => t.getAttribute("data-role")));
    expect(roles).toEqual(["creator", "guest"]);
    // The honest player state is the creator's alone: no LiveKit here, the viewer's connection failed.
    await expect.poll(() => watcherPage.getByTestId("stream-player").getAttribute("data-media-state")).toBe("unreachable");
    const tiles = watcherPage.getByTestId("stage-tile");
    for (const size of WIDTHS) {
      await watcherPage.setViewportSize(size);
      await painted(watcherPage);
      const [first, second] = [await tiles.nth(0).boundingBox(), await tiles.nth(1).boundingBox()];
      if (size.width > 640)
        expect(second!.x).toBeGreaterThan(first!.x + first!.width - 1); // side by side
      else expect(second!.y).toBeGreaterThan(first!.y + first!.height - 1); // stacked
    }
    expect(await watcherPage.getByRole("button", { name: `Remove ${guest.username} from stage` }).count()).toBe(0); // the creator's alone
    await screenshot(watcherPage, "stage-tiles");
  });

  it("the creator removes the guest from their tile: the guest's page leaves the stage", async () => {
    await creatorPage.getByRole("button", { name: `Remove ${guest.username} from stage` }).click();
    await expectVisible(creatorPage.locator("[data-sonner-toast]").filter({ hasText: `${guest.username} is off your stage` }));
    await expectHidden(guestTile(creatorPage));
    await expectHidden(guestPage.getByTestId("on-stage-bar"), 15_000); // stage.onInvite's `removed`, at once
    await expectHidden(guestTile(guestPage), 3_000); // their own tile too, before the list's 10 s refresh
    await expectVisible(
      guestPage
        .locator("[data-sonner-toast]")
        .filter({ hasText: `You're off ${creator.username}'s stage: ${creator.username} took you off` }),
    );
    expect(await rowStatus()).toBe("removed");
    expect(pages.errors).toEqual([]);
  });
});
