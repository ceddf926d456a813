import { CreditCard, Gift, PartyPopper, ShieldCheck } from "lucide-react";
import { useState, type ReactNode } from "react";
import { Link } from "react-router";
import type { RouterOutputs } from "@onair/api";
import { CoinAmount } from "../features/gifts/coins";
import { ErrorState } from "../components/states";
import { Card, CardDescription, CardHeader, CardTitle } from "../components/ui/card";
import { Skeleton } from "../components/ui/skeleton";
import { trpc } from "../lib/trpc";
import { timeAgo } from "../lib/utils";

type Credit = RouterOutputs["wallet"]["credits"][number];

const creditKinds: Record<Credit["kind"], { label: string; icon: ReactNode }> = {
  welcome: { label: "Welcome bonus", icon: <PartyPopper /> },
  admin: { label: "From an OnAir admin", icon: <ShieldCheck /> },
  purchase: { label: "Purchase", icon: <CreditCard /> },
};

const fullDate = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });

/** Coins that came in: welcome grant, admin grants, (later) purchases. */
export function CreditHistory() {
  const credits = trpc.wallet.credits.useQuery(undefined, { staleTime: 0 });
  const [now] = useState(() => Date.now());
  return (
    <HistoryCard
      title="Where your coins came from"
      description="Everything added to your balance."
      testId="wallet-credits"
      query={credits}
      empty="No coins added yet."
    >
      {credits.data?.map((credit, i) => {
        const kind = creditKinds[credit.kind] ?? creditKinds.admin;
        return (
          <Row
            key={`${credit.createdAt.getTime()}-${i}`}
            icon={<span className="text-sky-300 [&_svg]:size-[18px]">{kind.icon}</span>}
            title={credit.kind === "welcome" ? kind.label : credit.reason || kind.label}
            subtitle={
              <>
                {credit.kind === "welcome" ? credit.reason : kind.label} ·{" "}
                <time dateTime={credit.createdAt.toISOString()} title={fullDate.format(credit.createdAt)}>
                  {timeAgo(credit.createdAt, now)}
                </time>
              </>
            }
            amount={<CoinAmount amount={credit.amount} sign="+" className="text-green-300" />}
          />
        );
      })}
    </HistoryCard>
  );
}

/** Gifts the viewer has sent, newest first. */
export function SentGifts() {
  const sent = trpc.gift.sent.useQuery({ limit: 50 }, { staleTime: 0 });
  const [now] = useState(() => Date.now());
  return (
    <HistoryCard
      title="Gifts you've sent"
      description="Your latest 50 gifts."
      testId="wallet-sent"
      query={sent}
      empty={
        <>
          You haven't sent any gifts yet.{" "}
          <Link to="/" className="font-semibold text-foreground underline-offset-2 hover:underline">
            Find someone live
          </Link>{" "}
          to cheer on.
        </>
      }
    >
      {sent.data?.map((row) => (
        <Row
          key={row.id}
          icon={
            <span className="text-xl leading-none" aria-hidden>
              {row.gift.icon}
            </span>
          }
          title={
            <>
              {row.gift.name} to{" "}
              <Link to={`/${row.to}`} className="text-foreground underline-offset-2 hover:underline">
                {row.to}
              </Link>
            </>
          }
          subtitle={
            <time dateTime={row.createdAt.toISOString()} title={fullDate.format(row.createdAt)}>
              {timeAgo(row.createdAt, now)}
            </time>
          }
          amount={<CoinAmount amount={row.price} sign="−" className="text-foreground/90" iconClassName="text-amber-300/70" />}
        />
      ))}
    </HistoryCard>
  );
}

/** What coins buy: the catalogue at a glance. */
export function GiftPrices() {
  const catalog = trpc.gift.catalog.useQuery(undefined, { staleTime: 5 * 60_000 });
  if (!catalog.data?.length) return null;
  return (
    <Card className="p-5">
      <p className="text-sm font-semibold">What coins buy</p>
      <ul className="mt-3 grid grid-cols-3 gap-2 sm:grid-cols-6 lg:grid-cols-3 2xl:grid-cols-6" aria-label="Gift prices">
        {catalog.data.map((gift) => (
          <li key={gift.id} className="flex flex-col items-center gap-1 rounded-lg bg-accent/60 px-1 py-2.5 text-center">
            <span className="text-2xl leading-none" aria-hidden>
              {gift.icon}
            </span>
            <span className="text-xs font-medium">{gift.name}</span>
            <CoinAmount amount={gift.price} className="text-[11px] text-amber-200" iconClassName="size-3" />
          </li>
        ))}
      </ul>
    </Card>
  );
}

interface Query {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  data?: unknown[] | undefined;
  refetch: () => unknown;
}

function HistoryCard({
  title,
  description,
  testId,
  query,
  empty,
  children,
}: {
  title: string;
  description: string;
  testId: string;
  query: Query;
  empty: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card data-testid={testId}>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
      <div className="border-t border-border">
        {query.isPending ? (
          <div className="grid gap-3 p-5" role="status" aria-label={`Loading ${title.toLowerCase()}`}>
            {[0, 1, 2].map((i) => (
              <Skeleton key={i} className="h-11 w-full" />
            ))}
          </div>
        ) : query.isError ? (
          <ErrorState error={query.error} onRetry={() => void query.refetch()} className="m-5 py-8" />
        ) : query.data?.length === 0 ? (
          <div className="flex flex-col items-center gap-2 px-6 py-10 text-center">
            <Gift className="size-7 text-muted-foreground" aria-hidden />
            <p className="max-w-xs text-sm text-muted-foreground">{empty}</p>
          </div>
        ) : (
          <ul className="divide-y divide-border">{children}</ul>
        )}
      </div>
    </Card>
  );
}

function Row({ icon, title, subtitle, amount }: { icon: ReactNode; title: ReactNode; subtitle: ReactNode; amount: ReactNode }) {
  return (
    <li className="flex items-center gap-3 px-5 py-3.5 sm:px-6">
      <span className="flex size-10 shrink-0 items-center justify-center rounded-full bg-accent">{icon}</span>
      <div className="min-w-0 flex-1">
        <p className="truncate text-sm font-semibold">{title}</p>
        <p className="truncate text-xs text-muted-foreground">{subtitle}</p>
      </div>
      <span className="shrink-0 text-sm">{amount}</span>
    </li>
  );
}
