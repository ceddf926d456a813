import type { Services } from "./index";
import type { PublicStream } from "./streams";

const liveState = (view: PublicStream | null) => (view ? `${view.isLive}/${view.isPublishing}/${view.title}` : "gone");

/**
 * Merges the change streams of many channels into one: yields a channel's view when its live state
 * (open, publishing, title) changed since the last one seen, until `signal` aborts.
 */
export async function* liveChanges(services: Pick<Services, "events" | "cache">, usernames: string[], signal: AbortSignal | undefined) {
  const pending: string[] = [];
  const waiting: { wake: (() => void) | null } = { wake: null };
  for (const username of new Set(usernames)) {
    void (async () => {
      for await (const _ of services.events.subscribe(username, signal)) {
        pending.push(username);
        waiting.wake?.();
      }
    })();
  }
  // The first change seen for a channel always goes out: the caller's list may predate it.
  const last = new Map<string, string>();
  while (!signal?.aborted) {
    if (pending.length === 0) {
      await new Promise<void>((resolve) => {
        waiting.wake = resolve;
        signal?.addEventListener("abort", () => resolve(), { once: true });
      });
      waiting.wake = null;
      continue;
    }
    const username = pending.shift()!;
    if (pending.includes(username)) continue; // a later change for the same channel follows
    const view = await services.cache.view(username);
    const state = liveState(view);
    if (!view || last.get(username) === state) continue;
    last.set(username, state);
    yield view;
  }
}
