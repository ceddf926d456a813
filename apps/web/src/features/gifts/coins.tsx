import { Coins } from "lucide-react";
import { cn } from "../../lib/utils";

const number = new Intl.NumberFormat("en");

/** 1234 → "1,234 coins"; 1 → "1 coin". */
export function formatCoins(amount: number) {
  return `${number.format(amount)} ${amount === 1 ? "coin" : "coins"}`;
}

/** 1234 → "1,234" */
export function formatNumber(amount: number) {
  return number.format(amount);
}

export function CoinIcon({ className }: { className?: string }) {
  return <Coins className={cn("size-4 shrink-0 text-amber-300", className)} aria-hidden />;
}

/** A coin icon and an amount; the full "N coins" is what a screen reader hears. */
export function CoinAmount({
  amount,
  className,
  iconClassName,
  sign,
}: {
  amount: number;
  className?: string;
  iconClassName?: string;
  sign?: "+" | "−";
}) {
  return (
    <span className={cn("inline-flex items-center gap-1 font-semibold tabular-nums", className)}>
      <CoinIcon className={iconClassName} />
      <span aria-hidden>
        {sign}
        {number.format(amount)}
      </span>
      <span className="sr-only">
        {sign === "−" ? "minus " : sign === "+" ? "plus " : ""}
        {formatCoins(amount)}
      </span>
    </span>
  );
}
