import { Radio, Sparkles } from "lucide-react";
import { Link, useSearchParams } from "react-router";
import { OnAirDot } from "../components/logo";
import { EmptyState, ErrorState } from "../components/states";
import { StreamCard, StreamCardSkeleton } from "../components/stream-card";
import { Button } from "../components/ui/button";
import { trpc } from "../lib/trpc";
import { useViewer } from "../lib/viewer";
import { RecentlyLive } from "./home-recent";
import { SearchResults } from "./home-search";

const grid = "grid grid-cols-1 gap-x-4 gap-y-7 sm:grid-cols-2 lg:grid-cols-3 2xl:grid-cols-4";

export function HomePage() {
  const [params] = useSearchParams();
  const q = params.get("q")?.trim() || undefined;
  // The search box: every channel, live or not (stream.search).
  return q ? <SearchResults q={q} /> : <LiveDirectory />;
}

function LiveDirectory() {
  const live = trpc.stream.live.useInfiniteQuery(
    { limit: 24 },
    { getNextPageParam: (page) => page.nextCursor ?? undefined, staleTime: 10_000, refetchInterval: 30_000 },
  );
  // Pages are offsets into a list that moves (viewer counts change): a channel may show up twice.
  const seen = new Set<string>();
  const onAir = (live.data?.pages.flatMap((page) => page.items) ?? []).filter(
    (stream) => stream.isPublishing && !seen.has(stream.id) && seen.add(stream.id),
  );

  return (
    <div>
      <title>OnAir · Live channels</title>
      <header className="mb-6 flex flex-col gap-2 sm:mb-8">
        <p className="inline-flex items-center gap-2 text-xs font-bold tracking-[0.2em] text-brand uppercase">
          <OnAirDot className="size-2" /> On air now
        </p>
        <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">Live channels</h1>
        {onAir.length > 0 && (
          <p className="text-sm text-muted-foreground" data-testid="live-summary">
            {onAir.length}
            {live.hasNextPage ? "+" : ""} {onAir.length === 1 && !live.hasNextPage ? "channel" : "channels"} live · most watched first
          </p>
        )}
      </header>

      {live.isPending ? (
        <div className={grid} role="status" aria-label="Loading live channels">
          {Array.from({ length: 8 }, (_, i) => (
            <StreamCardSkeleton key={i} />
          ))}
        </div>
      ) : live.isError ? (
        <ErrorState error={live.error} title="We couldn't load live channels" onRetry={() => void live.refetch()} />
      ) : (
        <>
          {onAir.length === 0 ? (
            <NobodyLive />
          ) : (
            <ul className={grid} aria-label="Live channels" data-testid="live-directory">
              {onAir.map((stream) => (
                <li key={stream.id}>
                  <StreamCard stream={stream} />
                </li>
              ))}
            </ul>
          )}
          {live.hasNextPage && (
            <div className="mt-10 flex justify-center">
              <Button variant="secondary" pending={live.isFetchingNextPage} onClick={() => void live.fetchNextPage()}>
                Show more
              </Button>
            </div>
          )}
          {live.isFetchNextPageError && (
            <p className="mt-4 text-center text-sm text-red-300" role="alert">
              Couldn't load more channels. Try again.
            </p>
          )}
        </>
      )}
      {!live.isError && <RecentlyLive />}
    </div>
  );
}

function NobodyLive() {
  const viewer = useViewer();
  return (
    <EmptyState
      className="py-16 sm:py-24"
      icon={<Radio />}
      title="Nobody is live right now"
      action={
        viewer.isCreator ? (
          <Button asChild size="lg">
            <Link to="/dashboard">
              <Radio /> Open your dashboard
            </Link>
          </Button>
        ) : (
          <Button asChild size="lg">
            <Link to="/become-creator">
              <Sparkles /> Become a creator
            </Link>
          </Button>
        )
      }
    >
      {viewer.isCreator
        ? "The stage is yours. Set up your stream and be the first one on air."
        : "Check back soon — or take the stage yourself. Creators go live on OnAir straight from the browser."}
    </EmptyState>
  );
}
