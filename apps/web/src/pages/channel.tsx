import { Clock, Heart, MessageSquareOff, Settings2, Users } from "lucide-react";
import { useCallback, useState } from "react";
import { Link, useParams } from "react-router";
import { ChatPanel } from "../features/chat/chat-panel";
import { ModeratorView } from "../features/moderation/moderator-view";
import { FollowButton } from "../components/follow-button";
import { GiftBurst } from "../features/gifts/gift-burst";
import { GiftButton } from "../features/gifts/gift-button";
import { ReactionFloat } from "../features/reactions/reaction-float";
import { ErrorState } from "../components/states";
import { Avatar } from "../components/ui/avatar";
import { Button } from "../components/ui/button";
import { Card } from "../components/ui/card";
import { Skeleton } from "../components/ui/skeleton";
import { errorCode } from "../lib/errors";
import { useStreamStatus } from "../lib/status-stream";
import { trpc } from "../lib/trpc";
import { countOf, formatCount } from "../lib/utils";
import { useViewer } from "../lib/viewer";
import { ChannelStage, type Channel, type Ended } from "./channel-stage";
import { NotFoundPage } from "./not-found";

const CHANNEL_NAME = /^[a-zA-Z0-9_]{1,30}$/;

/**
 * Keeps the channel current through `stream.onStatus` (live, ended, title, viewers) and notices the
 * moment a broadcast ends, so the page flips between offline, live and "stream ended" without reload.
 */
function useLiveChannel(username: string, enabled: boolean) {
  const utils = trpc.useUtils();
  const [ended, setEnded] = useState<Ended | null>(null);
  useStreamStatus(
    username,
    (next) => {
      const previous = utils.stream.byUsername.getData({ username });
      if (previous?.isLive && !next.isLive) setEnded({ liveSince: previous.liveSince, endedAt: new Date() });
      utils.stream.byUsername.setData({ username }, next);
    },
    enabled,
  );
  const markEnded = useCallback(() => {
    const current = utils.stream.byUsername.getData({ username });
    setEnded({ liveSince: current?.liveSince ?? null, endedAt: new Date() });
  }, [utils, username]);
  return { ended, markEnded };
}

export function ChannelPage() {
  const { username = "" } = useParams();
  // A fresh page per channel: nothing (like "stream ended") carries over to the next one.
  return <Channel key={username} username={username} />;
}

function Channel({ username }: { username: string }) {
  const valid = CHANNEL_NAME.test(username);
  const channel = trpc.stream.byUsername.useQuery({ username }, { enabled: valid });
  const live = useLiveChannel(username, valid && channel.isSuccess);
  const viewer = useViewer();

  if (!valid || errorCode(channel.error) === "NOT_FOUND" || errorCode(channel.error) === "BAD_REQUEST") {
    return (
      <NotFoundPage
        eyebrow="Channel not found"
        title={`There's no channel called “${username}”`}
        message="Check the spelling, or find someone who's live right now."
      />
    );
  }
  if (channel.isPending) return <ChannelSkeleton />;
  if (channel.isError)
    return <ErrorState error={channel.error} title="We couldn't load this channel" onRetry={() => void channel.refetch()} />;

  const s = channel.data;
  const own = viewer.me?.username === s.username;
  return (
    <article className="mx-auto grid max-w-[1500px] grid-cols-1 gap-x-6 gap-y-5 lg:grid-cols-[minmax(0,1fr)_340px] lg:grid-rows-[auto_1fr]">
      <title>{`${s.isPublishing ? "🔴 " : ""}${s.displayName} · OnAir`}</title>
      <div className="min-w-0">
        <div className="relative">
          <ChannelStage key={s.username} channel={s} ended={live.ended} own={own} onEnded={live.markEnded} />
          {s.isLive && <GiftBurst username={s.username} />}
          <ReactionFloat username={s.username} />
        </div>
        <ChannelHeader channel={s} own={own} />
      </div>

      <div className="lg:row-span-2 lg:h-[calc(100dvh-8rem)] lg:min-h-[480px] [&>*]:h-[420px] lg:[&>*]:h-full lg:sticky lg:top-20">
        <ChatPanel username={s.username} />
      </div>

      <div className="grid min-w-0 gap-4 self-start">
        <div className="grid min-w-0 grid-cols-1 gap-4 md:grid-cols-[minmax(0,1fr)_260px]">
          <Card className="p-5 sm:p-6">
            <h2 className="text-sm font-semibold tracking-wide text-muted-foreground uppercase">About</h2>
            <p className="mt-3 leading-relaxed whitespace-pre-line break-words text-foreground/90" data-testid="channel-description">
              {s.description || `${s.displayName} hasn't written a description yet.`}
            </p>
          </Card>
          <ChatRules channel={s} />
        </div>
        <ModeratorView channel={s.username} />
      </div>
    </article>
  );
}

function ChannelHeader({ channel: s, own }: { channel: Channel; own: boolean }) {
  return (
    <div className="mt-5 flex flex-wrap items-start gap-4 sm:flex-nowrap sm:gap-5">
      <Avatar name={s.displayName} live={s.isPublishing} className="size-12 text-lg sm:size-16 sm:text-2xl" />
      <div className="min-w-0 flex-1">
        <h1 className="text-xl font-bold tracking-tight break-words sm:text-2xl" data-testid="channel-title">
          {s.title}
        </h1>
        <p className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-muted-foreground">
          <span className="font-semibold text-foreground" data-testid="channel-name">
            {s.displayName}
          </span>
          <span className="inline-flex items-center gap-1">
            <Heart className="size-3.5" aria-hidden /> {countOf(s.followerCount, "follower")}
          </span>
          {s.isLive && (
            <span className="inline-flex items-center gap-1 font-medium text-brand" data-testid="channel-viewers">
              <Users className="size-3.5" aria-hidden /> {formatCount(s.viewerCount)} watching
            </span>
          )}
        </p>
      </div>
      <div className="flex w-full gap-2 sm:w-auto [&>*]:flex-1 sm:[&>*]:flex-none">
        {own ? (
          <Button asChild variant="secondary">
            <Link to={s.isLive ? "/dashboard/stream" : "/dashboard"}>
              <Settings2 /> {s.isLive ? "Stream studio" : "Edit stream"}
            </Link>
          </Button>
        ) : (
          <>
            <FollowButton username={s.username} />
            <GiftButton username={s.username} isLive={s.isLive} />
          </>
        )}
      </div>
    </div>
  );
}

function ChatRules({ channel: s }: { channel: Channel }) {
  return (
    <Card className="p-5 sm:p-6">
      <h2 className="text-sm font-semibold tracking-wide text-muted-foreground uppercase">Chat rules</h2>
      <ul className="mt-3 grid gap-2 text-sm">
        {!s.isChatEnabled ? (
          <li className="flex items-center gap-2">
            <MessageSquareOff className="size-4 text-muted-foreground" aria-hidden /> Chat is off
          </li>
        ) : (
          <>
            <li>{s.isChatFollowersOnly ? "Followers only" : "Everyone can chat"}</li>
            {s.isChatDelayed && (
              <li className="flex items-center gap-2">
                <Clock className="size-4 text-muted-foreground" aria-hidden /> Slow mode: {s.slowModeSeconds}s
              </li>
            )}
          </>
        )}
      </ul>
    </Card>
  );
}

function ChannelSkeleton() {
  return (
    <div className="mx-auto grid max-w-[1500px] gap-6 lg:grid-cols-[minmax(0,1fr)_340px]" role="status" aria-label="Loading channel">
      <div>
        <Skeleton className="aspect-video w-full rounded-xl" />
        <div className="mt-5 flex gap-5">
          <Skeleton className="size-16 rounded-full" />
          <div className="grid flex-1 gap-2">
            <Skeleton className="h-7 w-2/3" />
            <Skeleton className="h-4 w-1/3" />
          </div>
        </div>
      </div>
      <Skeleton className="hidden h-[480px] rounded-xl lg:block" />
    </div>
  );
}
