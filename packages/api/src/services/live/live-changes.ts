import { RESYNC } from "../shared/events";
import { patiently } from "../shared/patiently";
import type { Services } from "../types";
import type { PublicStream } from "./streams";

const liveState = (view: PublicStream | null) => (view ? `${view.isLive}/${view.isPublishing}/${view.title}` : "gone");

/**
 * Merges the change streams of many channels into one: yields a channel's view when its live state
 * (open, publishing, title) changed since the last one seen, until `signal` aborts. One subscription
 * for every channel (no loop of its own per channel); a burst is read at once, each channel once.
 * When the bus was deaf (`RESYNC`) every channel's view is read again (the caches were dropped).
 * It listens from the call, before the first read: a client that loads its list once the stream
 * has started misses no change between the two.
 */
export function liveChanges(services: Pick<Services, "events" | "cache">, usernames: string[], signal: AbortSignal | undefined) {
  const all = [...new Set(usernames)];
  return changesOf(services, all, services.events.subscribeMany(all, signal), signal);
}

async function* changesOf(
  services: Pick<Services, "cache">,
  all: string[],
  changes: ReturnType<Services["events"]["subscribeMany"]>,
  signal: AbortSignal | undefined,
) {
  // The first change seen for a channel always goes out: the caller's list may predate it.
  const last = new Map<string, string>();
  try {
    for await (const first of changes) {
      const burst: (typeof first)[] = [first, ...changes.drain()];
      const changed = new Set<string>();
      for (const event of burst) for (const username of event === RESYNC ? all : [event.key]) changed.add(username);
      const resync = burst.includes(RESYNC);
      for (const username of changed) {
        const view = resync ? await patiently(() => services.cache.view(username), signal) : await services.cache.view(username);
        const state = liveState(view);
        if (!view || last.get(username) === state) continue;
        last.set(username, state);
        yield view;
      }
    }
  } finally {
    await changes.return();
  }
}
