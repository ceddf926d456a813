import { Clock, Heart, MessageSquareOff, Settings2, Users } from "lucide-react";
import { Link, useParams } from "react-router";
import { ErrorState } from "../components/states";
import { Thumbnail } from "../components/thumbnail";
import { Avatar } from "../components/ui/avatar";
import { Badge, LiveBadge } from "../components/ui/badge";
import { Button } from "../components/ui/button";
import { Card } from "../components/ui/card";
import { Skeleton } from "../components/ui/skeleton";
import { errorCode } from "../lib/errors";
import { trpc } from "../lib/trpc";
import { formatCount } from "../lib/utils";
import { useViewer } from "../lib/viewer";
import { NotFoundPage } from "./not-found";

const CHANNEL_NAME = /^[a-zA-Z0-9_]{1,30}$/;

export function ChannelPage() {
  const { username = "" } = useParams();
  const valid = CHANNEL_NAME.test(username);
  const channel = trpc.stream.byUsername.useQuery({ username }, { enabled: valid });
  const viewer = useViewer();

  if (!valid || errorCode(channel.error) === "NOT_FOUND" || errorCode(channel.error) === "BAD_REQUEST") {
    return <NotFoundPage eyebrow="Channel not found" title={`There's no channel called “${username}”`} message="Check the spelling, or find someone who's live right now." />;
  }
  if (channel.isPending) return <ChannelSkeleton />;
  if (channel.isError) return <ErrorState error={channel.error} title="We couldn't load this channel" onRetry={() => void channel.refetch()} />;

  const s = channel.data;
  const own = viewer.me?.username === s.username;
  return (
    <article className="mx-auto max-w-6xl">
      <title>{`${s.displayName} · OnAir`}</title>
      <Thumbnail src={s.thumbnail} name={s.displayName} alt={`${s.displayName}'s channel artwork`} dim={!s.isLive} size="lg" className="rounded-xl ring-1 ring-border">
        {!s.isLive && <div className="absolute inset-0 bg-gradient-to-t from-black/80 via-black/10 to-transparent" aria-hidden />}
        <div className="absolute top-3 left-3">{s.isLive ? <LiveBadge /> : <Badge variant="offline" data-testid="offline-badge">Offline</Badge>}</div>
        {!s.isLive && (
          <div className="absolute inset-x-0 bottom-0 hidden p-6 sm:block">
            <p className="text-sm font-semibold tracking-wide text-white/80 uppercase">{s.displayName} is offline</p>
            <p className="mt-1 text-sm text-white/60">Follow along — the next broadcast shows up here.</p>
          </div>
        )}
      </Thumbnail>

      <div className="mt-5 flex flex-wrap items-start gap-4 sm:flex-nowrap sm:gap-5">
        <Avatar name={s.displayName} live={s.isLive} className="size-12 text-lg sm:size-16 sm:text-2xl" />
        <div className="min-w-0 flex-1">
          <h1 className="text-xl font-bold tracking-tight break-words sm:text-2xl" data-testid="channel-title">{s.title}</h1>
          <p className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-muted-foreground">
            <span className="font-semibold text-foreground" data-testid="channel-name">{s.displayName}</span>
            <span className="inline-flex items-center gap-1"><Heart className="size-3.5" aria-hidden /> {formatCount(s.followerCount)} followers</span>
            {s.isLive && <span className="inline-flex items-center gap-1"><Users className="size-3.5" aria-hidden /> {formatCount(s.viewerCount)} watching</span>}
          </p>
        </div>
        {own && (
          <Button asChild variant="secondary" className="w-full sm:w-auto">
            <Link to="/dashboard"><Settings2 /> Edit stream</Link>
          </Button>
        )}
      </div>

      <div className="mt-6 grid grid-cols-1 gap-4 lg:grid-cols-[minmax(0,1fr)_320px]">
        <Card className="p-5 sm:p-6">
          <h2 className="text-sm font-semibold tracking-wide text-muted-foreground uppercase">About</h2>
          <p className="mt-3 leading-relaxed whitespace-pre-line break-words text-foreground/90" data-testid="channel-description">
            {s.description || `${s.displayName} hasn't written a description yet.`}
          </p>
        </Card>
        <Card className="p-5 sm:p-6">
          <h2 className="text-sm font-semibold tracking-wide text-muted-foreground uppercase">Chat</h2>
          <ul className="mt-3 grid gap-2 text-sm">
            {!s.isChatEnabled ? (
              <li className="flex items-center gap-2"><MessageSquareOff className="size-4 text-muted-foreground" aria-hidden /> Chat is off</li>
            ) : (
              <>
                <li>{s.isChatFollowersOnly ? "Followers only" : "Everyone can chat"}</li>
                {s.isChatDelayed && <li className="flex items-center gap-2"><Clock className="size-4 text-muted-foreground" aria-hidden /> Slow mode: {s.slowModeSeconds}s</li>}
              </>
            )}
          </ul>
        </Card>
      </div>
    </article>
  );
}

function ChannelSkeleton() {
  return (
    <div className="mx-auto max-w-6xl" role="status" aria-label="Loading channel">
      <Skeleton className="aspect-video w-full rounded-xl" />
      <div className="mt-5 flex gap-5">
        <Skeleton className="size-16 rounded-full" />
        <div className="grid flex-1 gap-2">
          <Skeleton className="h-7 w-2/3" />
          <Skeleton className="h-4 w-1/3" />
        </div>
      </div>
    </div>
  );
}
