import type { RouterOutputs } from "@onair/api";
import { cn } from "../../lib/utils";
import { CoinAmount, formatCoins } from "./coins";

export type CatalogGift = RouterOutputs["gift"]["catalog"][number];

interface GiftPickerProps {
  gifts: CatalogGift[];
  selected: string | null;
  onSelect: (id: string) => void;
  /** The viewer's coins; null when unknown (signed out): every gift is selectable to look at. */
  balance: number | null;
}

/** The catalogue as a radio group: arrow keys move between gifts, the ones you can't afford are disabled. */
export function GiftPicker({ gifts, selected, onSelect, balance }: GiftPickerProps) {
  return (
    <fieldset>
      <legend className="sr-only">Choose a gift</legend>
      <div className="grid grid-cols-3 gap-2" data-testid="gift-catalog">
        {gifts.map((gift) => {
          const short = balance !== null && gift.price > balance;
          return (
            <label
              key={gift.id}
              title={short ? `You need ${formatCoins(gift.price - (balance ?? 0))} more for a ${gift.name}` : undefined}
              className={cn(
                "relative flex cursor-pointer flex-col items-center gap-1.5 rounded-xl border border-border bg-card px-2 pt-3.5 pb-3 text-center transition-colors select-none",
                "hover:border-[#3d3d4a] hover:bg-accent has-[:checked]:border-amber-400/80 has-[:checked]:bg-amber-400/10 has-[:checked]:shadow-[0_0_0_1px] has-[:checked]:shadow-amber-400/60",
                "has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring has-[:focus-visible]:ring-offset-2 has-[:focus-visible]:ring-offset-popover",
                short && "cursor-not-allowed opacity-40 hover:border-border hover:bg-card",
              )}
            >
              <input
                type="radio"
                name="gift"
                value={gift.id}
                checked={selected === gift.id}
                onChange={() => onSelect(gift.id)}
                disabled={short}
                className="sr-only"
              />
              <span className="text-3xl leading-none sm:text-4xl" aria-hidden>
                {gift.icon}
              </span>
              <span className="text-sm font-semibold">{gift.name}</span>
              <CoinAmount amount={gift.price} className="text-xs text-amber-200" iconClassName="size-3.5" />
              {short && <span className="sr-only">(not enough coins)</span>}
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
