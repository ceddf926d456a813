import { Gift, Trophy, Wallet } from "lucide-react";
import { useState, type ReactNode } from "react";
import { CoinAmount, CoinIcon, formatNumber } from "../../features/gifts/coins";
import { ErrorState } from "../../components/states";
import { Card, CardDescription, CardHeader, CardTitle } from "../../components/ui/card";
import { Skeleton } from "../../components/ui/skeleton";
import { trpc } from "../../lib/trpc";
import { cn, timeAgo } from "../../lib/utils";
import { BroadcastTable } from "./earnings-table";

export default function EarningsPage() {
  const earnings = trpc.gift.earnings.useQuery(undefined, { staleTime: 0 });
  const wallet = trpc.wallet.balance.useQuery(undefined, { staleTime: 0 });
  const [now] = useState(() => Date.now());

  if (earnings.isPending) {
    return (
      <div className="grid gap-6" role="status" aria-label="Loading earnings">
        <div className="grid gap-4 sm:grid-cols-3">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} className="h-28 rounded-lg" />
          ))}
        </div>
        <Skeleton className="h-80 rounded-lg" />
      </div>
    );
  }
  if (earnings.isError)
    return <ErrorState error={earnings.error} title="We couldn't load your earnings" onRetry={() => void earnings.refetch()} />;

  const { perBroadcast, latest } = earnings.data;
  const gifts = perBroadcast.reduce((n, b) => n + b.gifts, 0);
  const best = perBroadcast.reduce((max, b) => Math.max(max, b.coins), 0);

  return (
    <div className="grid gap-6">
      <title>Earnings · OnAir</title>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 sm:gap-4">
        <Stat label="Total earned" icon={<Wallet />} testId="earnings-total" highlight className="col-span-2 sm:col-span-1">
          {wallet.data ? (
            <>
              <CoinIcon className="size-6" /> {formatNumber(wallet.data.earnings)}
            </>
          ) : (
            <Skeleton className="h-8 w-24" />
          )}
        </Stat>
        <Stat label={giftsLabel(perBroadcast.length)} icon={<Gift />} testId="earnings-gifts">
          {formatNumber(gifts)}
        </Stat>
        <Stat label="Best stream" icon={<Trophy />} testId="earnings-best">
          <CoinIcon className="size-6" /> {formatNumber(best)}
        </Stat>
      </div>

      <div className="grid grid-cols-1 gap-6 xl:grid-cols-[minmax(0,1.7fr)_minmax(300px,1fr)] xl:items-start">
        <Card>
          <CardHeader>
            <CardTitle>Streams</CardTitle>
            <CardDescription>Coins and gifts per broadcast, newest first.</CardDescription>
          </CardHeader>
          <BroadcastTable rows={perBroadcast} now={now} />
        </Card>

        <Card data-testid="earnings-latest">
          <CardHeader>
            <CardTitle>Latest gifts</CardTitle>
            <CardDescription>Who's been cheering you on.</CardDescription>
          </CardHeader>
          {latest.length === 0 ? (
            <p className="border-t border-border px-6 py-10 text-center text-sm text-muted-foreground">
              No gifts yet. Viewers can send them while you're live.
            </p>
          ) : (
            <ul className="divide-y divide-border border-t border-border">
              {latest.map((row) => (
                <li key={row.id} className="flex items-center gap-3 px-5 py-3 sm:px-6">
                  <span className="flex size-10 shrink-0 items-center justify-center rounded-full bg-amber-400/10 text-xl" aria-hidden>
                    {row.gift.icon}
                  </span>
                  <div className="min-w-0 flex-1">
                    <p className="truncate text-sm">
                      <span className="font-semibold">{row.from}</span> sent a {row.gift.name}
                    </p>
                    <p className="text-xs text-muted-foreground">
                      <time dateTime={row.createdAt.toISOString()}>{timeAgo(row.createdAt, now)}</time>
                    </p>
                  </div>
                  <CoinAmount amount={row.price} sign="+" className="text-sm text-green-300" />
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </div>
  );
}

function giftsLabel(streams: number) {
  if (streams <= 1) return streams === 1 ? "Gifts in your last stream" : "Gifts received";
  return `Gifts in your last ${streams} streams`;
}

interface StatProps {
  label: string;
  icon: ReactNode;
  testId: string;
  highlight?: boolean;
  className?: string;
  children: ReactNode;
}

function Stat({ label, icon, testId, highlight, className, children }: StatProps) {
  return (
    <Card
      className={cn("p-4 sm:p-5", highlight && "border-amber-400/30 bg-gradient-to-br from-amber-400/10 to-card", className)}
      data-testid={testId}
    >
      <p className="flex items-start gap-2 text-xs text-muted-foreground sm:text-sm [&_svg]:mt-px [&_svg]:size-4 [&_svg]:shrink-0">
        {icon} {label}
      </p>
      <p className="mt-2 flex items-center gap-2 text-2xl font-bold tracking-tight tabular-nums sm:mt-3 sm:text-3xl">{children}</p>
    </Card>
  );
}
