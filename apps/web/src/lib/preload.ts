import type { QueryClient } from "@tanstack/react-query";
import { getQueryKey } from "@trpc/react-query";
import superjson from "superjson";
import type { RouterOutputs } from "@onair/api";
import { trpc } from "./trpc";

type Channel = RouterOutputs["stream"]["byUsername"];
type ViewerToken = RouterOutputs["stream"]["token"];

/** The channel page's `stream.token` query: one per channel and broadcast (pages/channel-stage.tsx). */
export const tokenQueryKey = (username: string, liveSince: Date | null) =>
  ["stream.token", username, liveSince?.getTime() ?? null] as const;

/** An unused token from the page is dropped after this: tokens are for joining soon (they live 15 minutes). */
const TOKEN_KEPT_MS = 60_000;

/**
 * A channel page's HTML carries the channel and, when it is live, this visitor's viewer token
 * (apps/server/src/web.ts, `<script type="application/json" id="onair-channel">`). Put in the cache,
 * they let the page render and connect to LiveKit without asking the API first.
 */
export function seedChannelPreload(queryClient: QueryClient) {
  const text = document.getElementById("onair-channel")?.textContent;
  if (!text) return;
  const { view, token } = superjson.parse<{ view: Channel; token?: ViewerToken }>(text);
  // The page's own spelling of the name (the server matched it from this path): the query's input.
  const username = decodeURIComponent(location.pathname.slice(1));
  queryClient.setQueryData(getQueryKey(trpc.stream.byUsername, { username }, "query"), view);
  if (!token) return;
  const key = tokenQueryKey(view.username, view.liveSince);
  queryClient.setQueryData(key, token);
  setTimeout(
    () => queryClient.removeQueries({ queryKey: key, exact: true, predicate: (query) => query.getObserversCount() === 0 }),
    TOKEN_KEPT_MS,
  );
}
