import { BarChart3, Info, Radio } from "lucide-react";
import { Link } from "react-router";
import { CoinIcon, formatCoins, formatNumber } from "../features/gifts/coins";
import { Gate } from "../components/gate";
import { ErrorState, PageHeader } from "../components/states";
import { Button } from "../components/ui/button";
import { Card } from "../components/ui/card";
import { Skeleton } from "../components/ui/skeleton";
import { trpc } from "../lib/trpc";
import { useViewer } from "../lib/viewer";
import { CreditHistory, GiftPrices, SentGifts } from "./wallet-history";

export default function WalletPage() {
  return (
    <>
      <title>Wallet · OnAir</title>
      <Gate allow={(viewer) => viewer.signedIn} denied={null}>
        <PageHeader title="Wallet" description="Coins you can send as gifts to creators while they're live." />
        <div className="grid gap-6">
          <Overview />
          <div className="grid grid-cols-1 gap-6 xl:grid-cols-2 xl:items-start">
            <CreditHistory />
            <SentGifts />
          </div>
        </div>
      </Gate>
    </>
  );
}

function Overview() {
  const viewer = useViewer();
  const wallet = trpc.wallet.balance.useQuery(undefined, { staleTime: 0 });
  if (wallet.isError) return <ErrorState error={wallet.error} title="We couldn't load your wallet" onRetry={() => void wallet.refetch()} />;
  const data = wallet.data;

  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-[minmax(0,1.4fr)_minmax(0,1fr)]">
      <Card className="relative flex flex-col justify-center overflow-hidden p-6 sm:p-8">
        <div className="pointer-events-none absolute -top-24 -right-16 size-72 rounded-full bg-amber-400/10 blur-3xl" aria-hidden />
        <p className="text-sm font-medium text-muted-foreground">Your balance</p>
        {data ? (
          <p className="mt-2 flex items-center gap-3" data-testid="wallet-balance">
            <CoinIcon className="size-9 sm:size-11" />
            <span className="text-5xl font-extrabold tracking-tight tabular-nums sm:text-6xl">{formatNumber(data.balance)}</span>
            <span className="self-end pb-1.5 text-lg font-semibold text-muted-foreground sm:pb-2">
              {data.balance === 1 ? "coin" : "coins"}
            </span>
          </p>
        ) : (
          <Skeleton className="mt-3 h-14 w-56" />
        )}
        <p className="mt-4 max-w-md text-sm leading-relaxed text-muted-foreground">
          Open any live channel and press <span className="font-semibold text-foreground">Send a gift</span>. The creator sees it on stream
          and in chat.
        </p>
        <Button asChild variant="secondary" className="mt-5 w-fit">
          <Link to="/">
            <Radio /> Find someone live
          </Link>
        </Button>
      </Card>

      <div className="grid content-start gap-4">
        <Card className="flex gap-3 border-sky-500/25 bg-sky-500/[0.06] p-5" data-testid="buy-coins-note">
          <Info className="mt-0.5 size-5 shrink-0 text-sky-300" aria-hidden />
          <div className="text-sm leading-relaxed">
            <p className="font-semibold text-sky-100">Buying coins isn't available yet</p>
            <p className="mt-1 text-muted-foreground">
              For now, coins come from your welcome bonus and from OnAir admins. You'll be able to top up here once purchases open.
            </p>
          </div>
        </Card>
        <GiftPrices />
        {viewer.isCreator && (
          <Card className="flex items-center gap-4 p-5">
            <div className="min-w-0 flex-1">
              <p className="text-sm text-muted-foreground">Your channel has earned</p>
              {data ? (
                <p className="mt-1 flex items-center gap-1.5 text-2xl font-bold tabular-nums" data-testid="wallet-earnings">
                  <CoinIcon className="size-5" /> {formatCoins(data.earnings)}
                </p>
              ) : (
                <Skeleton className="mt-2 h-7 w-32" />
              )}
            </div>
            <Button asChild variant="outline" size="sm">
              <Link to="/dashboard/earnings">
                <BarChart3 /> Earnings
              </Link>
            </Button>
          </Card>
        )}
      </div>
    </div>
  );
}
