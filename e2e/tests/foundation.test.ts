import type { Browser, Page } from "playwright-core";
import { trpcCall } from "./chat-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { account, expectHidden, expectVisible, launchBrowser, Pages, screenshot, signUp, startOnAir, type OnAir } from "./harness";

const admin = account("ada_admin");
const creator = account("nightowl");
const TITLE = "Night coding with nightowl";

describe("foundation: accounts, creator approval, channel settings", () => {
  let onair: OnAir;
  let browser: Browser;
  let pages: Pages;
  let adminPage: Page;
  let creatorPage: Page;
  let guestPage: Page;

  beforeAll(async () => {
    onair = await startOnAir();
    browser = await launchBrowser();
    pages = new Pages(browser);
    adminPage = await pages.open();
    creatorPage = await pages.open();
    guestPage = await pages.open();
  });

  afterAll(async () => {
    await pages?.close();
    await browser?.close();
    await onair?.close();
  });

  it("shows an empty live directory and the auth forms to a guest", async () => {
    await guestPage.goto(onair.url);
    await expectVisible(guestPage.getByRole("heading", { name: "Nobody is live right now" }));
    await expectVisible(guestPage.getByRole("link", { name: "Become a creator" }));
    await screenshot(guestPage, "home-empty");
    await guestPage.goto(`${onair.url}/sign-in`);
    await expectVisible(guestPage.getByRole("heading", { name: "Welcome back" }));
    await screenshot(guestPage, "sign-in");
    await guestPage.goto(`${onair.url}/become-creator`);
    await expectVisible(guestPage.getByRole("heading", { name: "Sign in to apply" }));
    await screenshot(guestPage, "become-creator-guest");
  });

  it("makes the first account the admin and says so", async () => {
    await adminPage.goto(`${onair.url}/sign-up`);
    await screenshot(adminPage, "sign-up");
    await signUp(adminPage, onair.url, admin);
    await expectVisible(adminPage.getByText("Your account is the first on this OnAir, so it is the admin."));
    await screenshot(adminPage, "sign-up-first-admin");
    await expectVisible(adminPage.getByTestId("user-menu-name").getByText(admin.username));
  });

  it("shows the server's sign-up errors next to the field they name", async () => {
    await signUp(creatorPage, onair.url, { ...creator, password: "short" });
    const passwordError = creatorPage.locator('[data-field-error="password"]');
    await expectVisible(passwordError);
    expect((await passwordError.textContent())?.toLowerCase()).toContain("password");

    await signUp(creatorPage, onair.url, { ...creator, username: admin.username });
    const usernameError = creatorPage.locator('[data-field-error="username"]');
    await expectVisible(usernameError);
    expect((await usernameError.textContent())?.toLowerCase()).toContain("username");
    await screenshot(creatorPage, "sign-up-errors");
  });

  it("signs up a second user, who is not the admin and can apply to become a creator", async () => {
    await signUp(creatorPage, onair.url, creator);
    await expectVisible(creatorPage.getByTestId("user-menu-name").getByText(creator.username));
    expect(await creatorPage.getByText("so it is the admin").count()).toBe(0);

    await creatorPage.goto(`${onair.url}/admin`);
    await expectVisible(creatorPage.getByRole("heading", { name: "Admins only" }));
    await screenshot(creatorPage, "admin-denied");

    await creatorPage.goto(`${onair.url}/dashboard`);
    await expectVisible(creatorPage.getByRole("heading", { name: "The dashboard is for creators" }));
    await screenshot(creatorPage, "dashboard-not-creator");

    await creatorPage.goto(`${onair.url}/become-creator`);
    await expectVisible(creatorPage.getByTestId("creator-status").getByText("Not applied"));
    await screenshot(creatorPage, "become-creator-none");
    await creatorPage.getByRole("button", { name: "Apply to become a creator" }).click();
    await expectVisible(creatorPage.getByTestId("creator-status").getByText("Pending review"));
    await screenshot(creatorPage, "become-creator-pending");
  });

  it("lets the admin approve the application on /admin", async () => {
    await adminPage.goto(`${onair.url}/admin`);
    const row = adminPage.getByTestId(`pending-${creator.username}`);
    await expectVisible(row);
    await screenshot(adminPage, "admin-pending");
    await adminPage.getByRole("button", { name: `Approve ${creator.username}` }).click();
    await expectVisible(adminPage.getByText(`${creator.username} is now a creator`));
    await expectHidden(row);
    await expectVisible(adminPage.getByText("No applications waiting"));
    await screenshot(adminPage, "admin-empty");
  });

  it("lets the approved creator set a title on /dashboard", async () => {
    await creatorPage.goto(`${onair.url}/become-creator`);
    await expectVisible(creatorPage.getByTestId("creator-status").getByText("Approved"));

    await creatorPage.goto(`${onair.url}/dashboard`);
    const title = creatorPage.getByLabel("Title");
    await expectVisible(title);
    expect(await title.inputValue()).toBe(`${creator.username}'s stream`);

    // The server's validation message lands next to the field.
    await title.fill("   ");
    await creatorPage.getByRole("button", { name: "Save", exact: true }).first().click();
    await expectVisible(creatorPage.locator('[data-field-error="title"]'));

    await title.fill(TITLE);
    await creatorPage.getByLabel("Description").fill("Building OnAir live. Questions welcome!");
    await creatorPage.getByRole("button", { name: "Save", exact: true }).first().click();
    await expectVisible(creatorPage.getByText("Stream settings saved"));
    await expectVisible(creatorPage.getByText("All changes saved"));

    await creatorPage.getByRole("switch", { name: "Slow mode" }).click();
    await expectVisible(creatorPage.getByText("Slow mode on"));
    expect(await creatorPage.getByRole("switch", { name: "Slow mode" }).getAttribute("aria-checked")).toBe("true");
    await expectVisible(creatorPage.getByLabel("Slow mode interval"));
    await screenshot(creatorPage, "dashboard");
  });

  it("shows the channel with its new title to an anonymous viewer", async () => {
    await guestPage.goto(`${onair.url}/${creator.username}`);
    await expectVisible(guestPage.getByTestId("channel-title").getByText(TITLE, { exact: true }));
    await expectVisible(guestPage.getByTestId("offline-badge"));
    await expectVisible(guestPage.getByText("Building OnAir live. Questions welcome!"));
    await expectVisible(guestPage.getByText("Slow mode: 10s"));
    await screenshot(guestPage, "channel-offline");
  });

  it("lists a live channel on the home directory", async () => {
    // Live means media flows: the creator opens the broadcast and their page reports it publishing.
    await trpcCall(creatorPage, "stream.goLive");
    await trpcCall(creatorPage, "stream.heartbeat", { publishing: true });
    await guestPage.goto(onair.url);
    const card = guestPage.getByTestId(`stream-card-${creator.username}`);
    await expectVisible(card);
    await expectVisible(card.getByText(TITLE));
    await expectVisible(card.getByText("Live", { exact: true }));
    await screenshot(guestPage, "home-live");
    await card.getByRole("link").click();
    await expectVisible(guestPage.getByTestId("channel-title").getByText(TITLE, { exact: true }));
    await screenshot(guestPage, "channel-live");
    await trpcCall(creatorPage, "stream.end");
  });

  it("shows the 404 page for an unknown channel and an unknown route", async () => {
    await guestPage.goto(`${onair.url}/nobody_by_this_name`);
    await expectVisible(guestPage.getByText("Channel not found"));
    await expectVisible(guestPage.getByRole("heading", { name: /no channel called/ }));
    await screenshot(guestPage, "not-found-channel");

    await guestPage.goto(`${onair.url}/some/unknown/route`);
    await expectVisible(guestPage.getByText("Page not found"));
    await expectVisible(guestPage.getByRole("link", { name: "Back to live channels" }));
    await screenshot(guestPage, "not-found-route");
  });

  it("ran without uncaught page errors", () => {
    expect(pages.errors).toEqual([]);
  });
});
