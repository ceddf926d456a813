import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { signedWebhook } from "@onair/api/testing";

/** LiveKit credentials the chat suite's server is started with, so it can sign webhooks. */
export const LIVEKIT = { apiKey: "e2e-livekit-key", apiSecret: "e2e-livekit-secret-long-enough-0123456789" };
export const LIVEKIT_ENV = { LIVEKIT_API_KEY: LIVEKIT.apiKey, LIVEKIT_API_SECRET: LIVEKIT.apiSecret };

/**
 * Calls a tRPC procedure from inside the page, with its session cookie (same origin, superjson body).
 * Throws with the server's message when the call fails.
 */
export async function trpcCall<T = unknown>(
  page: Page,
  path: string,
  input?: unknown,
  kind: "mutation" | "query" = "mutation",
): Promise<T> {
  const outcome = await page.evaluate(
    async ({ path, input, kind }) => {
      const body = JSON.stringify({ json: input });
      const response =
        kind === "mutation"
          ? await fetch(`/trpc/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body })
          : await fetch(`/trpc/${path}?input=${encodeURIComponent(body)}`);
      return {
        status: response.status,
        body: (await response.json()) as { result?: { data?: { json?: unknown } }; error?: { json?: { message?: string } } },
      };
    },
    { path, input, kind },
  );
  if (outcome.status >= 400 || outcome.body.error) {
    throw new Error(`${path} failed (${outcome.status}): ${outcome.body.error?.json?.message ?? JSON.stringify(outcome.body)}`);
  }
  return outcome.body.result?.data?.json as T;
}

/** Sends LiveKit's signed `participant_joined` for a viewer of `room`, as LiveKit would. */
export async function viewerJoined(base: string, room: string) {
  const { body, authorization } = await signedWebhook({ event: "participant_joined", room, identity: `viewer-${randomUUID()}` }, LIVEKIT);
  const response = await fetch(`${base}/api/livekit/webhook`, {
    method: "POST",
    headers: { "content-type": "application/webhook+json", authorization },
    body,
  });
  if (!response.ok) throw new Error(`webhook refused: ${response.status} ${await response.text()}`);
  const { outcome } = (await response.json()) as { outcome: string };
  if (outcome !== "applied") throw new Error(`webhook not applied: ${outcome}`);
}

/** The chat input of the panel on the page. */
export function chatInput(page: Page) {
  return page.getByTestId("chat-panel").getByTestId("chat-input");
}

/** Types a message and presses Enter. */
export async function sendChat(page: Page, text: string) {
  const input = chatInput(page);
  await input.fill(text);
  await input.press("Enter");
}

/** Rows of the chat log that contain `text`. */
export function chatRow(page: Page, text: string) {
  return page.getByTestId("chat-log").getByTestId("chat-message").filter({ hasText: text });
}

/** The chat panel's header once the page's chat stream is open (events from then on reach it). */
export function chatSubscribed(page: Page) {
  return page.locator("[data-testid=chat-panel] header[data-subscribed=true]");
}
