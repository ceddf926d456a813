import { Gift } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { trpc } from "../../lib/trpc";
import { cn } from "../../lib/utils";
import { useChatEvents } from "./chat-events";
import { CoinIcon, formatNumber } from "./coins";
import { giftEventOf } from "./gift-event";

/** After a gift, the server's total replaces the local sum this much later (once per burst). */
const SETTLE_MS = 1_500;

/**
 * The creator's coins and gifts for the broadcast that is on now (`gift.currentTotal`). A gift
 * arriving in the channel's chat bumps the figures at once, then the server's total replaces them.
 */
export function BroadcastTotal({ username, className }: { username: string; className?: string }) {
  const utils = trpc.useUtils();
  const total = trpc.gift.currentTotal.useQuery(undefined, { staleTime: 0, refetchInterval: 60_000 });
  // A burst of gifts bumps the figures once per frame and asks the server at most once per SETTLE_MS.
  const burst = useRef({ coins: 0, gifts: 0, frame: null as number | null, settle: null as number | null });
  useEffect(() => {
    const pending = burst.current;
    return () => {
      if (pending.frame !== null) cancelAnimationFrame(pending.frame);
      if (pending.settle !== null) window.clearTimeout(pending.settle);
    };
  }, []);
  useChatEvents(username, (event) => {
    const gift = giftEventOf(event);
    if (!gift) return;
    const pending = burst.current;
    pending.coins += gift.price;
    pending.gifts += 1;
    pending.frame ??= requestAnimationFrame(() => {
      const { coins, gifts } = pending;
      Object.assign(pending, { coins: 0, gifts: 0, frame: null });
      utils.gift.currentTotal.setData(undefined, (t) => (t ? { coins: t.coins + coins, gifts: t.gifts + gifts } : t));
    });
    pending.settle ??= window.setTimeout(() => {
      pending.settle = null;
      void utils.gift.currentTotal.invalidate();
    }, SETTLE_MS);
  });

  const coins = total.data?.coins;
  const bumped = useBump(coins);
  return (
    <div
      className={cn("inline-flex items-center gap-3 rounded-lg bg-amber-400/10 px-3 py-2 ring-1 ring-amber-400/25", className)}
      data-testid="broadcast-total"
      role="status"
      aria-label={total.data ? `This stream: ${total.data.coins} coins from ${total.data.gifts} gifts` : "This stream's gifts"}
    >
      <span className="flex items-center gap-1.5" aria-hidden>
        <CoinIcon className={cn("size-5 transition-transform duration-300", bumped && "scale-125")} />
        <span className="text-lg font-bold text-amber-100 tabular-nums">{total.data ? formatNumber(total.data.coins) : "–"}</span>
      </span>
      <span className="flex items-center gap-1 text-xs text-amber-200/80" aria-hidden>
        <Gift className="size-3.5" />
        {total.data ? `${formatNumber(total.data.gifts)} ${total.data.gifts === 1 ? "gift" : "gifts"}` : "gifts"} this stream
      </span>
    </div>
  );
}

/** True for a moment after `value` goes up. */
function useBump(value: number | undefined) {
  const previous = useRef(value);
  const [bumped, setBumped] = useState(false);
  useEffect(() => {
    const before = previous.current;
    previous.current = value;
    if (value === undefined || before === undefined || value <= before) return;
    setBumped(true);
    const timer = window.setTimeout(() => setBumped(false), 400);
    return () => window.clearTimeout(timer);
  }, [value]);
  return bumped;
}
