import { Radio } from "lucide-react";
import type { RouterOutputs } from "@onair/api";
import { CoinAmount, formatNumber } from "../../features/gifts/coins";
import { LiveBadge } from "../../components/ui/badge";

type Broadcast = RouterOutputs["gift"]["earnings"]["perBroadcast"][number];

const started = new Intl.DateTimeFormat("en", { weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });

function duration(from: Date, to: Date) {
  const minutes = Math.max(0, Math.round((to.getTime() - from.getTime()) / 60_000));
  if (minutes < 1) return "< 1 min";
  const h = Math.floor(minutes / 60);
  return h ? `${h} h ${minutes % 60} min` : `${minutes} min`;
}

/** One row per broadcast: a table from `sm` up, stacked cards on phones. */
export function BroadcastTable({ rows, now }: { rows: Broadcast[]; now: number }) {
  if (rows.length === 0) {
    return (
      <div className="flex flex-col items-center gap-2 border-t border-border px-6 py-12 text-center">
        <Radio className="size-7 text-muted-foreground" aria-hidden />
        <p className="font-semibold">No streams yet</p>
        <p className="text-sm text-muted-foreground">Go live and your streams and their gifts show up here.</p>
      </div>
    );
  }
  const lasted = (b: Broadcast) => (b.endedAt ? duration(b.startedAt, b.endedAt) : null);

  return (
    <div className="border-t border-border" data-testid="earnings-broadcasts">
      <table className="hidden w-full text-sm sm:table">
        <thead>
          <tr className="text-left text-xs font-medium tracking-wide text-muted-foreground uppercase">
            <th scope="col" className="px-6 py-3 font-medium">
              Started
            </th>
            <th scope="col" className="px-3 py-3 font-medium">
              Duration
            </th>
            <th scope="col" className="px-3 py-3 text-right font-medium">
              Peak viewers
            </th>
            <th scope="col" className="px-3 py-3 text-right font-medium">
              Gifts
            </th>
            <th scope="col" className="px-6 py-3 text-right font-medium">
              Coins
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-border border-t border-border">
          {rows.map((b) => (
            <tr key={b.broadcastId} className="transition-colors hover:bg-accent/40" data-testid="earnings-row">
              <td className="px-6 py-3.5 font-medium whitespace-nowrap">{started.format(b.startedAt)}</td>
              <td className="px-3 py-3.5 whitespace-nowrap text-muted-foreground">
                {lasted(b) ?? (
                  <span className="inline-flex items-center gap-2">
                    <LiveBadge /> {duration(b.startedAt, new Date(now))}
                  </span>
                )}
              </td>
              <td className="px-3 py-3.5 text-right tabular-nums">{formatNumber(b.peakViewers)}</td>
              <td className="px-3 py-3.5 text-right tabular-nums">{formatNumber(b.gifts)}</td>
              <td className="px-6 py-3.5 text-right">
                <CoinAmount amount={b.coins} className="justify-end" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <ul className="divide-y divide-border sm:hidden">
        {rows.map((b) => (
          <li key={b.broadcastId} className="grid gap-2 px-5 py-4">
            <div className="flex items-center justify-between gap-3">
              <span className="font-semibold">{started.format(b.startedAt)}</span>
              <CoinAmount amount={b.coins} />
            </div>
            <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted-foreground">
              {b.endedAt ? <span>{lasted(b)}</span> : <LiveBadge />}
              <span>{formatNumber(b.peakViewers)} peak viewers</span>
              <span>
                {formatNumber(b.gifts)} {b.gifts === 1 ? "gift" : "gifts"}
              </span>
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}
