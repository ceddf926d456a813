import { SearchX } from "lucide-react";
import { Link } from "react-router";
import { EmptyState, ErrorState } from "../components/states";
import { StreamCard, StreamCardSkeleton } from "../components/stream-card";
import { Button } from "../components/ui/button";
import { trpc } from "../lib/trpc";

const grid = "grid grid-cols-1 gap-x-4 gap-y-7 sm:grid-cols-2 lg:grid-cols-3 2xl:grid-cols-4";

/** `stream.search`: channels by name or title, live or not (live first, then by followers). */
export function SearchResults({ q }: { q: string }) {
  const search = trpc.stream.search.useInfiniteQuery(
    { query: q, limit: 24 },
    { getNextPageParam: (page) => page.nextCursor ?? undefined, staleTime: 10_000 },
  );
  const seen = new Set<string>();
  const items = (search.data?.pages.flatMap((page) => page.items) ?? []).filter((s) => !seen.has(s.id) && seen.add(s.id));

  return (
    <div>
      <title>{`“${q}” · OnAir`}</title>
      <header className="mb-6 flex min-w-0 flex-col gap-2 sm:mb-8">
        <p className="text-xs font-bold tracking-[0.2em] text-brand uppercase">Search</p>
        <h1 className="text-2xl font-bold tracking-tight break-words [overflow-wrap:anywhere] sm:text-3xl">Channels matching “{q}”</h1>
        <Link to="/" className="w-fit text-sm text-muted-foreground underline-offset-4 hover:text-foreground hover:underline">
          Clear search
        </Link>
      </header>
      {search.isPending ? (
        <div className={grid} role="status" aria-label="Searching channels">
          {Array.from({ length: 4 }, (_, i) => (
            <StreamCardSkeleton key={i} />
          ))}
        </div>
      ) : search.isError ? (
        <ErrorState error={search.error} title="We couldn't search channels" onRetry={() => void search.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState
          icon={<SearchX />}
          title="No channels match your search"
          action={
            <Button asChild variant="secondary">
              <Link to="/">See everyone who's live</Link>
            </Button>
          }
        >
          No channel has “{q}” in its name or title.
        </EmptyState>
      ) : (
        <>
          <ul className={grid} aria-label="Search results" data-testid="search-results">
            {items.map((stream) => (
              <li key={stream.id}>
                <StreamCard stream={stream} />
              </li>
            ))}
          </ul>
          {search.hasNextPage && (
            <div className="mt-10 flex justify-center">
              <Button variant="secondary" pending={search.isFetchingNextPage} onClick={() => void search.fetchNextPage()}>
                Show more
              </Button>
            </div>
          )}
        </>
      )}
    </div>
  );
}
