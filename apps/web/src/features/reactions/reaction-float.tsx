import { useCallback, useEffect, useRef, useState } from "react";
import type { Reaction } from "@onair/api";
import { useChatEvents } from "../gifts/chat-events";
import { emojiOf } from "./reaction-kinds";

/** How long a reaction floats. */
const FLOAT_MS = 2600;
/** At most this many on screen: a storm shows its counts, not thousands of bubbles. */
const MAX_ON_SCREEN = 24;

interface Bubble {
  key: number;
  reaction: Reaction;
  count: number;
  left: number;
}

/**
 * Reactions to the channel rising over the player, each with its count when several came together
 * (the server gathers them: one event per short window). Decorative: place it inside a `relative`
 * box over the video.
 */
export function ReactionFloat({ username }: { username: string }) {
  const [bubbles, setBubbles] = useState<Bubble[]>([]);
  const nextKey = useRef(0);
  useChatEvents(username, (event) => {
    if (event.type !== "reactions") return;
    const fresh = Object.entries(event.counts).flatMap(([reaction, count]) =>
      count && emojiOf(reaction as Reaction)
        ? [{ key: nextKey.current++, reaction: reaction as Reaction, count, left: 60 + Math.random() * 30 }]
        : [],
    );
    if (fresh.length) setBubbles((current) => [...current, ...fresh].slice(-MAX_ON_SCREEN));
  });
  const gone = useCallback((key: number) => setBubbles((current) => current.filter((b) => b.key !== key)), []);

  return (
    <div className="pointer-events-none absolute inset-0 z-10 overflow-hidden" aria-hidden data-testid="reaction-float">
      {bubbles.map((bubble) => (
        <Float key={bubble.key} bubble={bubble} onDone={gone} />
      ))}
    </div>
  );
}

function Float({ bubble, onDone }: { bubble: Bubble; onDone: (key: number) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    const frames = reduced
      ? [{ opacity: 0 }, { opacity: 1, offset: 0.15 }, { opacity: 1, offset: 0.8 }, { opacity: 0 }]
      : [
          { opacity: 0, transform: "translateY(0) scale(0.6)" },
          { opacity: 1, transform: "translateY(-20%) scale(1.1)", offset: 0.15 },
          { opacity: 1, transform: "translateY(-220%) scale(1)", offset: 0.75 },
          { opacity: 0, transform: "translateY(-320%) scale(0.9)" },
        ];
    const animation = ref.current?.animate(frames, { duration: FLOAT_MS, easing: "ease-out", fill: "forwards" });
    const timer = window.setTimeout(() => onDone(bubble.key), FLOAT_MS);
    return () => {
      animation?.cancel();
      window.clearTimeout(timer);
    };
  }, [bubble.key, onDone]);
  return (
    <div
      ref={ref}
      className="absolute bottom-[8%] flex items-center gap-1 text-3xl leading-none drop-shadow-[0_4px_12px_rgba(0,0,0,0.6)] sm:text-4xl"
      style={{ left: `${bubble.left}%`, opacity: 0 }}
      data-testid="reaction-bubble"
      data-reaction={bubble.reaction}
      data-count={bubble.count}
    >
      {emojiOf(bubble.reaction)}
      {bubble.count > 1 && <span className="rounded-full bg-black/70 px-1.5 py-0.5 text-xs font-bold text-white">×{bubble.count}</span>}
    </div>
  );
}
