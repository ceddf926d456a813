import type { ActivityEvent } from "@onair/api";

/** The studio's feed keeps this many, newest first. */
export const KEEP = 30;

/** `incoming` (oldest first) added to `current` (newest first): each id once, at most KEEP. */
export function mergeActivity(current: ActivityEvent[], incoming: ActivityEvent[]): ActivityEvent[] {
  const seen = new Set(current.map((e) => e.id));
  const fresh: ActivityEvent[] = [];
  for (const event of incoming) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    fresh.unshift(event);
  }
  return fresh.length ? [...fresh, ...current].slice(0, KEEP) : current;
}
