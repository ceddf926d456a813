import { RotateCw } from "lucide-react";
import { useId } from "react";
import { NavLink } from "react-router";
import { cn, formatCount } from "../../lib/utils";
import { trpc } from "../../lib/trpc";
import { useViewer } from "../../lib/viewer";
import { Avatar } from "../ui/avatar";
import { Skeleton } from "../ui/skeleton";

const REFRESH_MS = 30_000;

/** The channels the signed-in viewer follows, live ones first, refreshed every 30 s. */
export function FollowingList({ onNavigate }: { onNavigate?: () => void }) {
  const viewer = useViewer();
  const headingId = useId();
  const following = trpc.follow.following.useQuery(undefined, {
    enabled: viewer.signedIn,
    refetchInterval: REFRESH_MS,
    staleTime: REFRESH_MS / 2,
  });
  // A followed channel starting, going on air or ending shows here at once (one SSE stream for the list).
  // The stream tells only what changes once it listens: the list is read again then, so a channel that
  // went live between the first read and the start (or during a dropped connection) shows too.
  const utils = trpc.useUtils();
  const usernames = (following.data ?? []).map((c) => c.username).sort();
  trpc.stream.onLiveChange.useSubscription(
    { usernames },
    {
      enabled: viewer.signedIn && usernames.length > 0,
      onStarted: () => void utils.follow.following.invalidate(),
      onData: (view) =>
        utils.follow.following.setData(undefined, (list) => list?.map((c) => (c.username === view.username ? { ...c, ...view } : c))),
    },
  );
  if (!viewer.signedIn) return null;

  const channels = following.data ?? [];
  // Live means video flows; an open broadcast without media is "starting".
  const liveCount = channels.filter((c) => c.isPublishing).length;
  return (
    <section aria-labelledby={headingId} className="mt-5" data-testid="following-list">
      <h2
        id={headingId}
        className="flex items-center justify-between px-3 pb-2 text-[11px] font-semibold tracking-widest text-muted-foreground/80 uppercase"
      >
        Following
        {liveCount > 0 && <span className="tracking-normal normal-case text-brand">{liveCount} live</span>}
      </h2>
      {following.isPending ? (
        <div className="grid gap-2 px-3" role="status" aria-label="Loading channels you follow">
          {[0, 1, 2].map((i) => (
            <div key={i} className="flex items-center gap-3">
              <Skeleton className="size-8 rounded-full" />
              <Skeleton className="h-3.5 flex-1" />
            </div>
          ))}
        </div>
      ) : following.isError ? (
        <div className="grid gap-2 px-3 text-sm text-muted-foreground" role="alert">
          <p>Couldn't load the channels you follow.</p>
          <button
            type="button"
            onClick={() => void following.refetch()}
            className="inline-flex w-fit items-center gap-1.5 rounded text-xs font-semibold text-foreground outline-none hover:underline focus-visible:ring-2 focus-visible:ring-ring"
          >
            <RotateCw className="size-3.5" aria-hidden /> Try again
          </button>
        </div>
      ) : channels.length === 0 ? (
        <p className="px-3 text-sm leading-relaxed text-muted-foreground">Follow channels you like and they'll show up here.</p>
      ) : (
        <ul className="grid grid-cols-1 gap-0.5">
          {channels.map((channel) => (
            <li key={channel.id}>
              <NavLink
                to={`/${channel.username}`}
                onClick={onNavigate}
                data-testid={`following-${channel.username}`}
                className={({ isActive }) =>
                  cn(
                    "flex items-center gap-3 rounded-md px-3 py-2 outline-none transition-colors hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring",
                    isActive && "bg-accent",
                  )
                }
              >
                <Avatar name={channel.displayName} className={cn("size-8 text-xs", !channel.isLive && "opacity-60 grayscale-[40%]")} />
                <span className="min-w-0 flex-1">
                  <span className={cn("block truncate text-sm font-semibold", !channel.isLive && "text-muted-foreground")}>
                    {channel.displayName}
                  </span>
                  <span className="block truncate text-xs text-muted-foreground" data-testid="following-state">
                    {channel.isPublishing ? channel.title : channel.isLive ? "Starting…" : "Offline"}
                  </span>
                </span>
                {channel.isPublishing && (
                  <span className="inline-flex shrink-0 items-center gap-1.5 text-xs text-muted-foreground tabular-nums">
                    <span className="size-2 rounded-full bg-primary shadow-[0_0_6px_1px] shadow-primary/60" aria-hidden />
                    <span className="sr-only">Live, </span>
                    {formatCount(channel.viewerCount)}
                    <span className="sr-only"> viewers</span>
                  </span>
                )}
              </NavLink>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
