import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedWebhook, startLiveKitDouble, type LiveKitDouble } from "@onair/api/testing";
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
import { LIVEKIT_TEST_KEY, LIVEKIT_TEST_SECRET, waitFor } from "./live-helpers";

const creator = account("obs_olga");
const credentials = { apiKey: LIVEKIT_TEST_KEY, apiSecret: LIVEKIT_TEST_SECRET };

/** Dashboard → Streaming software against the in-repo LiveKit double: create, reveal, copy, reset, go live from "OBS", delete. */
describe("Streaming software: the stream key page and a software broadcast in the studio", () => {
  let double: LiveKitDouble;
  let onair: OnAir;
  let browser: Browser;
  let pages: Pages;
  let page: Page;

  beforeAll(async () => {
    double = await startLiveKitDouble(credentials);
    onair = await startOnAir({
      LIVEKIT_URL: `ws://localhost:${await freePort()}`,
      LIVEKIT_API_URL: double.url,
      LIVEKIT_API_KEY: LIVEKIT_TEST_KEY,
      LIVEKIT_API_SECRET: LIVEKIT_TEST_SECRET,
    });
    browser = await launchBrowser();
    pages = new Pages(browser);
    page = await pages.open();
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: onair.url });
  });
  afterAll(async () => {
    await pages?.close();
    await browser?.close();
    await onair?.close();
    await double?.close();
  });

  const keyField = () => page.getByTestId("ingress-key");
  const onlyIngress = () => {
    expect(double.ingresses.size).toBe(1);
    return { ...[...double.ingresses.values()][0]! };
  };
  const noSidewaysScroll = async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    const [scrollWidth, clientWidth] = await page.evaluate(() => [
      document.documentElement.scrollWidth,
      document.documentElement.clientWidth,
    ]);
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
  };

  it("an approved creator finds Streaming software in the dashboard and creates an RTMP key", async () => {
    await signUp(page, onair.url, creator);
    await expectVisible(page.getByTestId("user-menu-name").getByText(creator.username));
    await page.goto(`${onair.url}/become-creator`);
    await page.getByRole("button", { name: "Apply to become a creator" }).click();
    await expectVisible(page.getByTestId("creator-status").getByText("Pending review"));
    await page.goto(`${onair.url}/admin`);
    await page.getByRole("button", { name: `Approve ${creator.username}` }).click();
    await expectVisible(page.getByText(`${creator.username} is now a creator`));

    await page.goto(`${onair.url}/dashboard`);
    await page.getByRole("link", { name: "Streaming software" }).click();
    await expectVisible(page.getByRole("heading", { name: "Stream from OBS or other software" }));
    await noSidewaysScroll();
    await page.getByRole("button", { name: "Create RTMP key" }).click();
    await expectVisible(page.getByTestId("ingress-card"));
    const info = onlyIngress();
    expect(await page.getByTestId("ingress-url").inputValue()).toBe(info.url);
    expect(await keyField().inputValue()).toBe(info.streamKey);
    await expectVisible(page.getByText("Service:").getByText("Custom…"));
  });

  it("masks the key until Reveal; Copy puts it on the clipboard", async () => {
    const { streamKey } = onlyIngress();
    expect(await keyField().getAttribute("type")).toBe("password");
    await expect(page.locator("body").innerText()).resolves.not.toContain(streamKey);
    await page.getByRole("button", { name: "Reveal" }).click();
    expect(await keyField().getAttribute("type")).toBe("text");
    await page.getByRole("button", { name: "Copy stream key" }).click();
    await expectVisible(page.getByText("Stream key copied"));
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(streamKey);
    await page.getByRole("button", { name: "Hide" }).click();
    expect(await keyField().getAttribute("type")).toBe("password");

    // Stream health (#25): the page follows what LiveKit's ingress reports, with the incoming video.
    const health = page.getByTestId("ingress-health");
    await expectVisible(health.getByText("Waiting for your software"));
    const held = [...double.ingresses.values()][0]!;
    held.state = {
      status: "ENDPOINT_PUBLISHING",
      video: { mimeType: "video/h264", averageBitrate: 2_500_000, width: 1280, height: 720, framerate: 30 },
    };
    await expectVisible(health.getByText("Live", { exact: true }), 15_000);
    expect(await page.getByTestId("ingress-video").innerText()).toMatch(/2\.5 Mbps[\s\S]*1280×720[\s\S]*30 fps/);
    await screenshot(page, "streaming-software");
    held.state = { status: "ENDPOINT_INACTIVE" };
    await expectVisible(health.getByText("Waiting for your software"), 15_000);
    await noSidewaysScroll();
  });

  it("Reset key asks first, then replaces the key; the old one is gone at LiveKit", async () => {
    const before = onlyIngress();
    await page.getByRole("button", { name: "Reset key" }).click();
    const dialog = page.getByRole("dialog", { name: "Reset your stream key?" });
    await expectVisible(dialog);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expectHidden(dialog);
    expect(onlyIngress().streamKey).toBe(before.streamKey);

    await page.getByRole("button", { name: "Reset key" }).click();
    await dialog.getByRole("button", { name: "Reset key" }).click();
    await expectHidden(dialog);
    const after = await waitFor("a new key at LiveKit", async () => (double.ingresses.has(before.ingressId) ? null : onlyIngress()));
    expect(after.streamKey).not.toBe(before.streamKey);
    await waitFor("the new key on the page", async () => (await keyField().inputValue()) === after.streamKey);
  });

  it("a software broadcast shows in the Go Live studio, and End stream ends it", async () => {
    const { ingressId, roomName } = onlyIngress();
    const { body, authorization } = await signedWebhook({ event: "ingress_started", ingress: { ingressId, roomName } }, credentials);
    const response = await fetch(`${onair.url}/api/livekit/webhook`, {
      method: "POST",
      headers: { "content-type": "application/webhook+json", authorization },
      body,
    });
    expect(await response.json()).toEqual({ outcome: "applied" });

    await page.getByRole("link", { name: "Go Live" }).first().click();
    const studio = page.getByTestId("software-studio");
    await expectVisible(studio);
    await expectVisible(studio.getByTestId("live-elapsed"));
    await expectVisible(studio.getByTestId("live-viewers"));
    await expectVisible(page.getByTestId("software-media").getByText("waiting for your software"));
    await screenshot(page, "software-studio");
    await noSidewaysScroll();

    await studio.getByRole("button", { name: "End stream" }).click();
    await page.getByRole("dialog", { name: "End your stream?" }).getByRole("button", { name: "End stream" }).click();
    await expectHidden(studio);
    await expectVisible(page.getByRole("heading", { name: "Go live" }));
    expect(double.calls.some((call) => call.method === "DeleteRoom" && call.body.room === roomName)).toBe(true);
  });

  it("Delete asks first, then removes the key", async () => {
    await page.getByRole("link", { name: "Streaming software" }).click();
    await expectVisible(page.getByTestId("ingress-card"));
    await page.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("dialog", { name: "Delete your stream key?" }).getByRole("button", { name: "Delete" }).click();
    await expectVisible(page.getByRole("button", { name: "Create WHIP key" }));
    expect(double.ingresses.size).toBe(0);
    expect(pages.errors).toEqual([]);
  });
});
