import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { EventSource } from "eventsource";
import superjson from "superjson";
import type { AppRouter } from "@onair/api";
import { multiplexLink } from "./multiplex-link";

export { multiplexLink } from "./multiplex-link";

export type { AppRouter, RouterInputs, RouterOutputs } from "@onair/api";

/** The server takes at most 16 calls a batch (a larger one is a 400); the batch link splits at that. */
export const MAX_BATCH = 16;

export interface OnAirClientOptions {
  /** The server's origin, e.g. `http://localhost:3000`. */
  url: string;
  /** A session token (the `set-auth-token` header from sign-in); omit for anonymous calls. */
  token?: string;
  /** Every subscription on one SSE stream (`mux.onMany`), as the web app does; default: one stream each. */
  multiplex?: boolean;
}

/** The typed API other TypeScript services use: the same calls the web app makes. */
export function createOnAirClient({ url, token, multiplex = false }: OnAirClientOptions) {
  const endpoint = `${url.replace(/\/$/, "")}/trpc`;
  const authorization = token ? { Authorization: `Bearer ${token}` } : undefined;
  const subscriptions = httpSubscriptionLink<AppRouter, typeof EventSource>({
    url: endpoint,
    transformer: superjson,
    EventSource,
    eventSourceOptions: () =>
      authorization ? { fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, ...authorization } }) } : {},
  });
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: multiplex ? multiplexLink({ transport: subscriptions }) : subscriptions,
        false: httpBatchLink({ url: endpoint, transformer: superjson, headers: () => authorization ?? {}, maxItems: MAX_BATCH }),
      }),
    ],
  });
}

/** Signs in with email and password and returns the session token for `createOnAirClient`. */
export async function signIn(url: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${url.replace(/\/$/, "")}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify({ email, password }),
  });
  const token = response.headers.get("set-auth-token");
  if (!response.ok || !token) {
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    throw new Error(`Sign-in failed (${response.status}): ${body.message ?? "no session token returned"}`);
  }
  return token;
}
