import type { Page } from "playwright-core";
import { TokenVerifier, type ClaimGrants } from "livekit-server-sdk";
import { signedWebhook, type WebhookFields } from "@onair/api/testing";
import { freePort, resultsDir, startOnAir, type OnAir } from "./harness";

/** Explicit LiveKit credentials for the test server, so tokens can be verified here. */
export const LIVEKIT_TEST_KEY = "e2e-livekit-key";
export const LIVEKIT_TEST_SECRET = "e2e-livekit-secret-that-is-long-enough-for-hs256";

/**
 * OnAir for browser tests of live pages without a LiveKit server: `LIVEKIT_URL` names a loopback port
 * nothing listens on (each page's WebSocket is intercepted or refused by the test), with the test key,
 * and no sweeper (broadcasts are opened through the API; no Go Live page sends heartbeats to keep them).
 */
export async function startOnAirWithoutLiveKit(): Promise<{ onair: OnAir; livekitUrl: string }> {
  const livekitUrl = `ws://localhost:${await freePort()}`;
  const onair = await startOnAir({
    LIVEKIT_URL: livekitUrl,
    LIVEKIT_API_KEY: LIVEKIT_TEST_KEY,
    LIVEKIT_API_SECRET: LIVEKIT_TEST_SECRET,
    SWEEP_INTERVAL_MS: "0",
  });
  return { onair, livekitUrl };
}

export interface RtcConnection {
  url: URL;
  token: string;
  grants: ClaimGrants;
}

/**
 * Intercepts the page's LiveKit signalling WebSocket (`ws://…/rtc?access_token=…`; the studio's `/rtc/v1?…`), records it,
 * and closes it the way an unreachable server would. `next()` waits for the next connection.
 */
export async function interceptLiveKit(page: Page, verifier = new TokenVerifier(LIVEKIT_TEST_KEY, LIVEKIT_TEST_SECRET)) {
  const seen: RtcConnection[] = [];
  const waiters: ((c: RtcConnection) => void)[] = [];
  let consumed = 0;
  await page.routeWebSocket(/\/rtc/, async (ws) => {
    const url = new URL(ws.url());
    const token = url.searchParams.get("access_token") ?? "";
    void ws.close({ code: 1011, reason: "no LiveKit server in this test" });
    const grants = await verifier.verify(token).catch((error: unknown) => {
      console.error(`LiveKit token from ${page.url()} failed verification:`, error);
      throw error;
    });
    const connection = { url, token, grants };
    seen.push(connection);
    waiters.splice(0).forEach((resolve) => resolve(connection));
  });
  return {
    seen,
    /** The next connection not yet returned by `next()`. */
    async next(timeout = 20_000): Promise<RtcConnection> {
      const index = consumed++;
      try {
        return await new Promise<RtcConnection>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`No LiveKit WebSocket connection #${index + 1} from ${page.url()} within ${timeout} ms`)),
            timeout,
          );
          const check = () => {
            if (!seen[index]) return void waiters.push(check);
            clearTimeout(timer);
            resolve(seen[index]);
          };
          check();
        });
      } catch (error) {
        // What the page showed instead helps more than the timeout alone.
        const states = await page
          .locator("[data-state]")
          .evaluateAll((els) => els.map((e) => `${e.getAttribute("data-testid")}=${e.getAttribute("data-state")}`))
          .catch(() => []);
        await page.screenshot({ path: `${resultsDir}/debug-no-livekit-connection.png` }).catch(() => {});
        throw new Error(`${(error as Error).message}; page states: ${states.join(", ") || "none"}`);
      }
    },
  };
}

/** Polls until `check` returns something truthy. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | null | false>, timeout = 15_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Answers the Go Live page's pre-flight (a GET of LiveKit's HTTP root) as a running LiveKit would. */
export async function answerLiveKitPreflight(page: Page, livekitUrl: string) {
  const root = `${livekitUrl.replace(/^ws/, "http").replace(/\/$/, "")}/`;
  await page.route(root, (route) => route.fulfill({ status: 200, contentType: "text/plain", body: "OK" }));
}

/** Posts a LiveKit webhook signed with the e2e LiveKit credentials, exactly as LiveKit signs it; returns the outcome. */
export async function sendWebhook(base: string, fields: WebhookFields): Promise<string> {
  const { body, authorization } = await signedWebhook(fields, { apiKey: LIVEKIT_TEST_KEY, apiSecret: LIVEKIT_TEST_SECRET });
  const response = await fetch(`${base}/api/livekit/webhook`, {
    method: "POST",
    headers: { "content-type": "application/webhook+json", authorization },
    body,
  });
  if (!response.ok) throw new Error(`webhook refused: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { outcome: string }).outcome;
}

/**
 * The Go Live page's heartbeats report its media as flowing, as they would with a reachable LiveKit.
 * Here its LiveKit connection is refused, so its beats (every 15 s) would say `publishing: false` and
 * turn a channel the test made live (a webhook, a heartbeat) back to "starting" mid-test.
 */
export async function beatsSayPublishing(page: Page) {
  await page.route(
    (url) => url.pathname.startsWith("/trpc/") && url.pathname.includes("stream.heartbeat"),
    (route) => route.continue({ postData: (route.request().postData() ?? "").replaceAll('"publishing":false', '"publishing":true') }),
  );
}
