import { RESYNC, type StreamEvents } from "../shared/events";
import type { Handover } from "../shared/direct";
import { patiently } from "../shared/patiently";
import type { ReadCache } from "../shared/read-cache";
import type { PublicStream } from "./streams";

const same = (a: PublicStream, b: PublicStream) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A channel's public view at once (NOT_FOUND for no such channel), then again on every change. Every
 * subscriber gets the one cached view, read once per change (the same NOTIFY drops it from the
 * cache). When the bus was deaf (`RESYNC`; the caches were dropped first) the view is read again
 * and sent only if it changed meanwhile. Whenever it has handled everything it offers a `Handover`
 * (direct.ts): a consumer that takes it is written each run of changes' view, read once for all.
 */
export async function* statusStream(
  cache: ReadCache,
  events: StreamEvents,
  username: string,
  signal: AbortSignal | undefined,
): AsyncGenerator<PublicStream | Handover, void, undefined> {
  const changes = events.subscribe(username, signal);
  let last = await cache.publicStream(username).catch(async (error: unknown) => {
    await changes.return();
    throw error;
  });
  const handover = () =>
    events.handover(
      changes,
      username,
      undefined,
      (entry) => (last = entry.value as PublicStream),
      () => true,
    );
  try {
    yield last;
    for (;;) {
      if (changes.size === 0) yield handover();
      const next = await changes.next();
      if (next.done) break;
      const change = next.value;
      const view = change === RESYNC ? await patiently(() => cache.view(username), signal) : await cache.view(username);
      if (!view || (change === RESYNC && same(view, last))) continue;
      last = view;
      yield view;
    }
  } finally {
    await changes.return();
  }
}
