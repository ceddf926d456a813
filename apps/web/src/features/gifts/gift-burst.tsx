import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { useChatEvents } from "./chat-events";
import { giftEventOf, type GiftEvent } from "./gift-event";

/** How long each gift is on screen. */
export const BURST_MS = 2500;
/** Gifts waiting beyond this are dropped (oldest first): a gift storm must not play for minutes. */
const MAX_QUEUE = 12;

const REDUCED = "(prefers-reduced-motion: reduce)";
function subscribeMotion(onChange: () => void) {
  const query = window.matchMedia(REDUCED);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}
function usePrefersReducedMotion() {
  return useSyncExternalStore(
    subscribeMotion,
    () => window.matchMedia(REDUCED).matches,
    () => false,
  );
}

/**
 * An overlay for the player: every gift sent to the channel plays once, in order, as a big emoji
 * rising and fading with "<name> sent a <gift>". With reduced motion it fades in and out in place.
 * Only gifts sent while watching play (no replay). Place it inside a `relative` box over the video.
 */
export function GiftBurst({ username }: { username: string }) {
  const [queue, setQueue] = useState<GiftEvent[]>([]);
  useChatEvents(username, (event) => {
    const gift = giftEventOf(event);
    if (!gift) return;
    setQueue((current) => {
      if (current.some((g) => g.id === gift.id)) return current;
      const next = [...current, gift];
      // Keep the one on screen; drop the oldest waiting ones.
      return next.length > MAX_QUEUE ? [next[0]!, ...next.slice(next.length - MAX_QUEUE + 1)] : next;
    });
  });

  const current = queue[0];
  useEffect(() => {
    if (!current) return;
    const timer = window.setTimeout(() => setQueue((q) => (q[0]?.id === current.id ? q.slice(1) : q)), BURST_MS);
    return () => window.clearTimeout(timer);
  }, [current]);

  return (
    <div className="pointer-events-none absolute inset-0 z-10 overflow-hidden" data-testid="gift-burst" aria-live="polite">
      {current && <Burst key={current.id} gift={current} waiting={queue.length - 1} />}
    </div>
  );
}

function Burst({ gift, waiting }: { gift: GiftEvent; waiting: number }) {
  const reduced = usePrefersReducedMotion();
  const emoji = useRef<HTMLSpanElement>(null);
  const card = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const options = { duration: BURST_MS, easing: "ease-out", fill: "forwards" as const };
    const fade = [{ opacity: 0 }, { opacity: 1, offset: 0.12 }, { opacity: 1, offset: 0.8 }, { opacity: 0 }];
    const animations = reduced
      ? [emoji.current?.animate(fade, options), card.current?.animate(fade, options)]
      : [
          emoji.current?.animate(
            [
              { opacity: 0, transform: "translateY(40%) scale(0.4)" },
              { opacity: 1, transform: "translateY(0) scale(1.15)", offset: 0.18 },
              { opacity: 1, transform: "translateY(-25%) scale(1)", offset: 0.7 },
              { opacity: 0, transform: "translateY(-90%) scale(0.9)" },
            ],
            options,
          ),
          card.current?.animate(
            [
              { opacity: 0, transform: "translateY(12px)" },
              { opacity: 1, transform: "translateY(0)", offset: 0.15 },
              { opacity: 1, transform: "translateY(0)", offset: 0.78 },
              { opacity: 0, transform: "translateY(-8px)" },
            ],
            options,
          ),
        ];
    return () => animations.forEach((a) => a?.cancel());
  }, [reduced]);

  return (
    <div className="absolute inset-x-0 bottom-[12%] flex flex-col items-center gap-2 px-4 text-center" data-testid="gift-burst-item">
      <span
        ref={emoji}
        className="text-6xl leading-none drop-shadow-[0_6px_18px_rgba(0,0,0,0.6)] sm:text-8xl"
        style={{ opacity: 0 }}
        aria-hidden
      >
        {gift.icon}
      </span>
      <div
        ref={card}
        className="max-w-[90%] rounded-full bg-black/70 px-4 py-1.5 shadow-lg ring-1 ring-amber-300/40 backdrop-blur-sm"
        style={{ opacity: 0 }}
      >
        <p className="truncate text-sm font-semibold text-white sm:text-base">
          <span className="text-amber-300">{gift.from}</span> sent a {gift.name}
          {waiting > 0 && (
            <span className="ml-2 text-xs font-medium text-white/60" aria-hidden>
              +{waiting} more
            </span>
          )}
        </p>
        {gift.note && <p className="truncate text-xs text-white/80 sm:text-sm">“{gift.note}”</p>}
      </div>
    </div>
  );
}
