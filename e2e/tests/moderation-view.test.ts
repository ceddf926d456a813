import type { Browser, Page } from "playwright-core";
import { chatCooldown } from "@onair/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatInput, chatRow, LIVEKIT_ENV, sendChat, trpcCall } from "./chat-helpers";
import { account, expectHidden, expectVisible, launchBrowser, Pages, screenshot, startOnAir, type OnAir } from "./harness";

const admin = account("mv_admin");
const creator = account("mv_alice");
const moderator = account("mv_bob");
const troll = account("mv_carol");
const newcomer = account("mv_dan");

/**
 * Issue #25, moderators: the moderator's view on the channel page (restrictions counting down with
 * Lift, the moderation log), live on every team member's screen, the timeout dialog, chat commands.
 */
describe("a moderator's view on the channel page", () => {
  let onair: OnAir;
  let browser: Browser;
  let pages: Pages;
  let creatorPage: Page;
  let modPage: Page;
  let trollPage: Page;
  const channelUrl = () => `${onair.url}/${creator.username}`;
  const enabled = (page: Page) => expect.poll(() => chatInput(page).isEnabled(), { timeout: 10_000 }).toBe(true);
  const view = (page: Page) => page.getByTestId("moderator-view");
  const restriction = (page: Page, who: string) => view(page).getByTestId("restriction").filter({ hasText: who });
  const logEntry = (page: Page, text: string) => view(page).getByTestId("log-entry").filter({ hasText: text });
  const status = (page: Page) => page.getByTestId("chat-composer-status");

  beforeAll(async () => {
    onair = await startOnAir(LIVEKIT_ENV);
    browser = await launchBrowser();
    pages = new Pages(browser);
    const adminPage = await pages.signedUp(onair.url, admin);
    creatorPage = await pages.signedUp(onair.url, creator);
    modPage = await pages.signedUp(onair.url, moderator);
    trollPage = await pages.signedUp(onair.url, troll);
    await pages.signedUp(onair.url, newcomer);
    await trpcCall(creatorPage, "creator.requestApproval");
    await trpcCall(adminPage, "admin.approveCreator", { username: creator.username });
    await trpcCall(creatorPage, "moderation.addModerator", { channel: creator.username, username: moderator.username });
  });

  afterAll(async () => {
    await pages?.close();
    await browser?.close();
    await onair?.close();
  });

  it("a moderator times out from the dialog: 1 min, 10 min, 1 h or 24 h, with a reason", async () => {
    await creatorPage.goto(channelUrl());
    await modPage.goto(channelUrl());
    await trollPage.goto(channelUrl());
    // Open and listening on both team screens; nobody else gets the view.
    for (const page of [creatorPage, modPage]) await expectVisible(page.locator("[data-testid=moderator-view][data-live=true]"));
    await expectVisible(view(creatorPage).getByText("Nobody is restricted."));
    await enabled(trollPage);
    expect(await view(trollPage).count()).toBe(0);

    await sendChat(trollPage, "follow4follow at spam dot example");
    const spam = chatRow(modPage, "follow4follow");
    await expectVisible(spam);
    await spam.hover();
    await spam.getByRole("button", { name: `Moderate ${troll.username}'s message` }).click();
    await expectVisible(modPage.getByRole("menuitem", { name: "Timeout…" }));
    await screenshot(modPage, "moderator-menu-open"); // axe with the menu open
    await modPage.getByRole("menuitem", { name: "Timeout…" }).click();

    const dialog = modPage.getByRole("dialog", { name: `Time out ${troll.username}` });
    await expectVisible(dialog);
    for (const label of ["1 min", "10 min", "1 h", "24 h"]) await expectVisible(dialog.getByRole("radio", { name: label }));
    await dialog.getByText("1 h", { exact: true }).click();
    await dialog.getByLabel(/Reason/).fill("spam links");
    await screenshot(modPage, "moderator-timeout-dialog"); // axe with the dialog open
    await dialog.getByRole("button", { name: "Time out" }).click();
    await expectHidden(dialog);
    // Focus goes back to the chat box (the menu that opened the dialog is gone), never to <body>.
    await expect.poll(() => modPage.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("chat-input");
  });

  it("the timeout appears on the creator's screen without reload, with its reason, counting down", async () => {
    // The creator's screen, never reloaded: the restriction with the time left, and the log entry.
    const row = restriction(creatorPage, troll.username);
    await expectVisible(row.getByTestId("time-left").getByText(/^· (1:00:00|59:\d\d) left$/));
    await expectVisible(logEntry(creatorPage, `${moderator.username} timed out ${troll.username} for 1 h: “spam links”`));
    const left = async () => (await row.getByTestId("time-left").textContent()) ?? "";
    const first = await left();
    await expect.poll(left, { timeout: 5_000 }).not.toBe(first); // counting down
    await expectVisible(logEntry(modPage, `timed out ${troll.username} for 1 h`));
    await screenshot(creatorPage, "moderator-view-creator");
    expect(pages.errors).toEqual([]);
  });

  it("Lift on the moderator's screen clears the restriction on the creator's, live", async () => {
    await restriction(modPage, troll.username)
      .getByRole("button", { name: `Lift ${troll.username}'s restriction` })
      .click();
    await expectVisible(view(creatorPage).getByText("Nobody is restricted."));
    await expectVisible(logEntry(creatorPage, `${moderator.username} lifted ${troll.username}'s timeout or ban`));
    await enabled(trollPage);
  });

  it("chat commands: /ban, /unban and /mod (the creator's alone) run for those allowed; nothing else is sent as chat", async () => {
    await onair.db.delete(chatCooldown);
    await enabled(modPage);
    await sendChat(modPage, `/ban ${troll.username} spamming again`);
    await expectVisible(status(modPage).getByText(`${troll.username} is banned from chat`));
    await expectVisible(restriction(creatorPage, troll.username).getByText("Banned from chat"));
    await expectVisible(logEntry(creatorPage, `${moderator.username} banned ${troll.username} from chat: “spamming again”`));
    expect(await chatInput(modPage).inputValue()).toBe("");

    await sendChat(modPage, `/mod ${newcomer.username}`);
    await expectVisible(status(modPage).getByText("Only the channel's creator can appoint moderators (/mod)"));
    expect(await chatInput(modPage).inputValue()).toBe(`/mod ${newcomer.username}`); // kept, to correct
    await sendChat(modPage, "/kick someone");
    await expectVisible(status(modPage).getByText(/^Unknown command \/kick\. Commands: \/timeout name 10m reason/));
    await screenshot(modPage, "chat-command-unknown");

    await enabled(creatorPage);
    await sendChat(creatorPage, `/unban @${troll.username}`);
    await expectVisible(status(creatorPage).getByText(`${troll.username}'s restriction is lifted`));
    await expectVisible(view(modPage).getByText("Nobody is restricted."));
    await enabled(trollPage);
    await sendChat(trollPage, `/timeout ${moderator.username} 10m`);
    await expectVisible(status(trollPage).getByText("Only the channel's creator and its moderators can use /timeout"));
    await sendChat(creatorPage, `/mod ${newcomer.username}`);
    await expectVisible(status(creatorPage).getByText(`${newcomer.username} is now a moderator`));
    await expectVisible(logEntry(modPage, `${creator.username} made ${newcomer.username} a moderator`));
    await sendChat(creatorPage, `/timeout ${troll.username} 10m`);
    await expectVisible(
      restriction(modPage, troll.username)
        .getByTestId("time-left")
        .getByText(/^· (10:00|9:\d\d) left$/),
    );
    // No command ever became a chat message.
    expect(
      await modPage
        .getByTestId("chat-log")
        .getByText(/^\/(ban|mod|kick|unban|timeout)/)
        .count(),
    ).toBe(0);
    expect(pages.errors).toEqual([]);
  });
});
