import { Eye } from "lucide-react";
import { Link } from "react-router";
import type { RouterOutputs } from "@onair/api";
import { formatCount } from "../lib/utils";
import { Avatar } from "./ui/avatar";
import { Badge, LiveBadge } from "./ui/badge";
import { Skeleton } from "./ui/skeleton";
import { Thumbnail } from "./thumbnail";

export type LiveStream = RouterOutputs["stream"]["live"]["items"][number];

/** LIVE (with viewers) only while the channel's media flows (`isPublishing`); an open broadcast without media is "Starting…". */
export function StreamCard({ stream }: { stream: LiveStream }) {
  return (
    <article className="group relative" data-testid={`stream-card-${stream.username}`}>
      <Link
        to={`/${stream.username}`}
        className="block rounded-lg outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-4 focus-visible:ring-offset-background"
      >
        <Thumbnail
          src={stream.thumbnail}
          name={stream.displayName}
          className="ring-1 ring-white/5 transition-all duration-200 group-hover:-translate-y-0.5 group-hover:shadow-[0_8px_30px_-8px] group-hover:shadow-primary/40 group-hover:ring-primary/50"
        >
          {stream.isPublishing ? (
            <>
              <LiveBadge className="absolute top-2 left-2" />
              <span className="absolute bottom-2 left-2 inline-flex items-center gap-1 rounded bg-black/75 px-1.5 py-0.5 text-xs font-medium text-white">
                <Eye className="size-3.5" aria-hidden />
                {formatCount(stream.viewerCount)} <span className="sr-only">{stream.viewerCount === 1 ? "viewer" : "viewers"}</span>
              </span>
            </>
          ) : stream.isLive ? (
            <Badge variant="offline" className="absolute top-2 left-2" data-testid="starting-badge">
              Starting…
            </Badge>
          ) : (
            <Badge variant="offline" className="absolute top-2 left-2">
              Offline
            </Badge>
          )}
        </Thumbnail>
        <div className="mt-3 flex gap-3">
          <Avatar name={stream.displayName} live={stream.isPublishing} />
          <div className="min-w-0">
            <h3 className="truncate text-sm font-semibold leading-snug text-foreground group-hover:text-brand">{stream.title}</h3>
            <p className="truncate text-sm text-muted-foreground">{stream.displayName}</p>
          </div>
        </div>
      </Link>
    </article>
  );
}

export function StreamCardSkeleton() {
  return (
    <div>
      <Skeleton className="aspect-video w-full rounded-lg" />
      <div className="mt-3 flex gap-3">
        <Skeleton className="size-9 rounded-full" />
        <div className="grid flex-1 gap-2">
          <Skeleton className="h-4 w-4/5" />
          <Skeleton className="h-3.5 w-1/2" />
        </div>
      </div>
    </div>
  );
}
