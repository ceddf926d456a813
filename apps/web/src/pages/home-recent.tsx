import { History } from "lucide-react";
import { StreamCard, StreamCardSkeleton } from "../components/stream-card";
import { trpc } from "../lib/trpc";

const RECENT_LIMIT = 12;

/** Channels that were live lately, most recent first, as one horizontally scrolling row. */
export function RecentlyLive() {
  const recent = trpc.stream.recent.useQuery({ limit: RECENT_LIMIT }, { staleTime: 30_000, refetchInterval: 60_000 });
  // A failed or empty row is simply left out: the live directory above is what matters.
  if (recent.isError || (recent.data && recent.data.length === 0)) return null;

  return (
    <section className="mt-12" aria-labelledby="recent-heading" data-testid="recently-live">
      <h2 id="recent-heading" className="mb-4 flex items-center gap-2 text-lg font-bold tracking-tight">
        <History className="size-5 text-muted-foreground" aria-hidden /> Recently live
      </h2>
      <ul
        className="-mx-4 flex snap-x snap-mandatory gap-4 overflow-x-auto px-4 pb-3 sm:-mx-6 sm:px-6 lg:mx-0 lg:px-0 [scrollbar-width:thin]"
        aria-busy={recent.isPending || undefined}
      >
        {recent.isPending
          ? Array.from({ length: 4 }, (_, i) => (
              <li key={i} className="w-64 shrink-0 sm:w-72">
                <StreamCardSkeleton />
              </li>
            ))
          : recent.data.map((stream) => (
              <li key={stream.id} className="w-64 shrink-0 snap-start sm:w-72">
                <StreamCard stream={stream} />
              </li>
            ))}
      </ul>
    </section>
  );
}
