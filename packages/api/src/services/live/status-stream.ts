import { RESYNC, type StreamEvents } from "../shared/events";
import { patiently } from "../shared/patiently";
import type { ReadCache } from "../shared/read-cache";
import type { PublicStream } from "./streams";

const same = (a: PublicStream, b: PublicStream) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A channel's public view at once (NOT_FOUND for no such channel), then again on every change. Every
 * subscriber gets the one cached view, read once per change (the same NOTIFY drops it from the
 * cache). When the bus was deaf (`RESYNC`; the caches were dropped first) the view is read again
 * and sent only if it changed meanwhile.
 */
export async function* statusStream(cache: ReadCache, events: StreamEvents, username: string, signal: AbortSignal | undefined) {
  const changes = events.subscribe(username, signal);
  try {
    let last = await cache.publicStream(username);
    yield last;
    for await (const change of changes) {
      const view = change === RESYNC ? await patiently(() => cache.view(username), signal) : await cache.view(username);
      if (!view || (change === RESYNC && same(view, last))) continue;
      last = view;
      yield view;
    }
  } finally {
    await changes.return();
  }
}
