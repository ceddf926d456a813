import { signedWebhook, TEST_LIVEKIT, type SignedUp } from "@onair/api/testing";
import type { buildApp } from "../app";

type App = Awaited<ReturnType<typeof buildApp>>;

/** A tRPC answer over HTTP: the data, or the error as a client sees it. */
export interface LaneAnswer {
  status: number;
  body: { result?: { data: { json: unknown } }; error?: { json: { message: string; data: { code: string } } } };
}

/** The two paths a tRPC call can take: the fast lane, and Fastify with tRPC's official adapter. */
export const LANES = ["fast", "adapter"] as const;
export type Lane = (typeof LANES)[number];

/**
 * Calls a procedure through the fast lane (fetch to the listening server at `url`) or tRPC's official
 * adapter (`app.inject`), as `who` (a bearer token) or a guest (null).
 */
export function laneCaller(app: App, url: string) {
  return async function call(
    lane: Lane,
    kind: "query" | "mutation",
    path: string,
    input: unknown,
    who: SignedUp | null,
  ): Promise<LaneAnswer> {
    const headers: Record<string, string> = who ? { authorization: `Bearer ${who.token}` } : {};
    const encoded = input === undefined ? "" : JSON.stringify({ json: input });
    const target = kind === "query" ? `/trpc/${path}${encoded ? `?input=${encodeURIComponent(encoded)}` : ""}` : `/trpc/${path}`;
    if (kind === "mutation") headers["content-type"] = "application/json";
    if (lane === "fast") {
      const response = await fetch(`${url}${target}`, {
        method: kind === "query" ? "GET" : "POST",
        headers,
        body: kind === "mutation" ? encoded || "{}" : undefined,
      });
      return { status: response.status, body: (await response.json()) as LaneAnswer["body"] };
    }
    const response = await app.inject({
      method: kind === "query" ? "GET" : "POST",
      url: target,
      headers,
      payload: kind === "mutation" ? encoded || "{}" : undefined,
    });
    return { status: response.statusCode, body: response.json() };
  };
}

/** Posts a LiveKit webhook signed as LiveKit signs it (the test kit's credentials); the server's outcome. */
export async function postWebhook(app: App, fields: Parameters<typeof signedWebhook>[0]): Promise<string> {
  const { body, authorization } = await signedWebhook(fields, TEST_LIVEKIT);
  const response = await app.inject({
    method: "POST",
    url: "/api/livekit/webhook",
    headers: { "content-type": "application/webhook+json", authorization },
    payload: body,
  });
  return response.json<{ outcome: string }>().outcome;
}
