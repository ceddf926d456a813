import type { Browser, Locator, Page } from "playwright-core";
import { chatCooldown } from "@onair/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatRow, trpcCall } from "./chat-helpers";
import { account, expectHidden, expectVisible, freePort, launchBrowser, Pages, startOnAir, type OnAir } from "./harness";
import { answerLiveKitPreflight, beatsSayPublishing, interceptLiveKit, LIVEKIT_TEST_KEY, LIVEKIT_TEST_SECRET } from "./live-helpers";

const creator = account("kb_creator");
const viewer = account("kb_viewer");

/** Whether keyboard focus is on (or inside) the element. */
const focused = (locator: Locator) => locator.evaluate((el) => el === document.activeElement || el.contains(document.activeElement));

/**
 * Presses Tab (Shift+Tab backwards) until `target` has focus, as a keyboard user would; fails naming
 * what focus passed through when it never gets there.
 */
async function tabTo(page: Page, target: Locator, { max = 80, backwards = false } = {}) {
  const visited: string[] = [];
  for (let i = 0; i <= max; i++) {
    if (await focused(target.first())) return;
    await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
    visited.push(
      await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return "body";
        return (
          el.getAttribute("aria-label") ??
          el.getAttribute("data-testid") ??
          (el.textContent?.trim().slice(0, 30) || el.tagName.toLowerCase())
        );
      }),
    );
  }
  throw new Error(`${target.toString()} never got keyboard focus; Tab went through: ${visited.join(" → ")}`);
}

/**
 * Everything on the channel page and in the Go Live studio works from the keyboard alone: focus
 * reaches each control with Tab, Enter/Space/arrows act, dialogs trap focus and give it back.
 */
describe("keyboard only: the studio and the channel page", () => {
  let onair: OnAir;
  let livekitUrl: string;
  let browser: Browser;
  let pages: Pages;
  let studio: Page;
  let fan: Page;

  beforeAll(async () => {
    livekitUrl = `ws://localhost:${await freePort()}`;
    onair = await startOnAir({ LIVEKIT_URL: livekitUrl, LIVEKIT_API_KEY: LIVEKIT_TEST_KEY, LIVEKIT_API_SECRET: LIVEKIT_TEST_SECRET });
    browser = await launchBrowser();
    pages = new Pages(browser, interceptLiveKit);
    studio = await pages.signedUp(onair.url, creator); // the first account: admin
    await trpcCall(studio, "creator.requestApproval");
    await trpcCall(studio, "admin.approveCreator", { username: creator.username });
    fan = await pages.signedUp(onair.url, viewer);
  }, 480_000);

  afterAll(async () => {
    await pages?.close();
    await browser?.close();
    await onair?.close();
  });

  it("goes live from the studio with Tab and Enter", async () => {
    await answerLiveKitPreflight(studio, livekitUrl);
    await studio.goto(`${onair.url}/dashboard/stream`);
    const goLive = studio.getByTestId("go-live-button");
    await expect.poll(() => goLive.isEnabled(), { timeout: 20_000 }).toBe(true);
    await tabTo(studio, goLive);
    await studio.keyboard.press("Enter");
    await expectVisible(studio.getByTestId("live-studio"), 20_000);
    await beatsSayPublishing(studio);
    await trpcCall(studio, "stream.heartbeat", { publishing: true });
  });

  it("follows, chats (focus stays in the composer) and sends a gift from the keyboard", async () => {
    await fan.goto(`${onair.url}/${creator.username}`);
    const follow = fan.getByTestId("follow-button");
    await expect.poll(() => follow.isEnabled()).toBe(true);
    await tabTo(fan, follow);
    await fan.keyboard.press("Enter");
    await expect.poll(() => follow.getAttribute("aria-pressed")).toBe("true");

    const input = fan.getByTestId("chat-input");
    await expect.poll(() => input.isEnabled()).toBe(true);
    await tabTo(fan, input);
    await fan.keyboard.type("typed without a mouse");
    await fan.keyboard.press("Enter");
    await expectVisible(chatRow(fan, "typed without a mouse"));
    await expect.poll(() => focused(input)).toBe(true);
    // The Send button too: pressing it keeps focus in the composer, ready for the next message.
    // (As if the server's one-message-per-0.5-s window had passed: typing fast must not be refused.)
    await onair.db.update(chatCooldown).set({ lastSentAt: new Date(0) });
    await fan.keyboard.type("sent with the button");
    await tabTo(fan, fan.getByRole("button", { name: "Send message" }));
    await fan.keyboard.press("Enter");
    await expectVisible(chatRow(fan, "sent with the button"));
    await expect.poll(() => focused(fan.getByRole("form", { name: "Send a chat message" }))).toBe(true);

    const giftButton = fan.getByRole("button", { name: "Send a gift" });
    await tabTo(fan, giftButton, { backwards: true });
    await fan.keyboard.press("Enter");
    const dialog = fan.getByRole("dialog", { name: `Send a gift to ${creator.username}` });
    await expectVisible(dialog);
    const heart = dialog.getByRole("radio", { name: /Heart/ });
    await expectVisible(dialog.getByRole("radio").first(), 10_000);
    await tabTo(fan, dialog.getByRole("radio").first());
    await expect.poll(() => focused(dialog)).toBe(true); // focus is trapped in the dialog
    // Arrow keys move through the gifts until the Heart is chosen.
    for (let i = 0; i < 12 && !(await heart.isChecked()); i++) await fan.keyboard.press("ArrowRight");
    expect(await heart.isChecked()).toBe(true);
    await tabTo(fan, dialog.getByTestId("gift-send"));
    await fan.keyboard.press("Enter");
    await expectHidden(dialog);
    await expectVisible(chatRow(fan, "sent a Heart"));
    // Focus returns to where it was: the gift button.
    await expect.poll(() => focused(giftButton)).toBe(true);
  });

  it("reaches the player's controls with Tab; they show while focused", async () => {
    const fullscreen = fan.getByRole("button", { name: "Fullscreen" });
    await tabTo(fan, fullscreen, { backwards: true });
    // (after the bar's fade-in transition)
    await expect.poll(() => fullscreen.evaluate((el) => getComputedStyle(el.parentElement!).opacity)).toBe("1");
  });

  it("the creator moderates a message from the keyboard: menu with Enter, arrows, Enter", async () => {
    const own = await pages.open(studio.context());
    await own.goto(`${onair.url}/${creator.username}`);
    const row = chatRow(own, "typed without a mouse");
    await expectVisible(row);
    await tabTo(own, row.getByRole("button", { name: `Moderate ${viewer.username}'s message` }));
    await own.keyboard.press("Enter");
    const remove = own.getByRole("menuitem", { name: "Delete message" });
    await expectVisible(remove);
    for (let i = 0; i < 6 && !(await focused(remove)); i++) await own.keyboard.press("ArrowDown");
    await own.keyboard.press("Enter");
    await expectHidden(row);
    await expectHidden(chatRow(fan, "typed without a mouse"));
    await own.close();
  });

  it("ends the stream from the keyboard: the confirmation traps focus, Escape cancels, Enter confirms", async () => {
    const end = studio.getByRole("button", { name: "End stream" });
    await tabTo(studio, end);
    await studio.keyboard.press("Enter");
    const dialog = studio.getByRole("dialog", { name: "End your stream?" });
    await expectVisible(dialog);
    await expect.poll(() => focused(dialog)).toBe(true);
    await studio.keyboard.press("Escape");
    await expectHidden(dialog);
    await expect.poll(() => focused(end)).toBe(true); // given back as the dialog unmounts
    await studio.keyboard.press("Enter");
    await expectVisible(dialog);
    await tabTo(studio, dialog.getByRole("button", { name: "End stream" }));
    await studio.keyboard.press("Enter");
    await expectVisible(studio.getByTestId("ended-note"));
  });

  it("ran without uncaught page errors", () => {
    expect(pages.errors).toEqual([]);
  });
});
