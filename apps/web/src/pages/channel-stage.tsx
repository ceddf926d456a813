import { useQuery } from "@tanstack/react-query";
import { Compass } from "lucide-react";
import { lazy, Suspense, useEffect, useState } from "react";
import { Link } from "react-router";
import type { RouterOutputs } from "@onair/api";
import { Thumbnail } from "../components/thumbnail";
import { Badge } from "../components/ui/badge";
import { Button } from "../components/ui/button";
import { tokenQueryKey } from "../lib/preload";
import { useChatEvents } from "../features/gifts/chat-events";
import { trpc } from "../lib/trpc";
import { useViewer } from "../lib/viewer";
import type { MediaState } from "../features/live/media-state";
import { StartingMessage } from "../features/live/player-parts";

export type Channel = RouterOutputs["stream"]["byUsername"];

// LiveKit stays out of every other page: this chunk loads only when a channel is live.
const loadPlayer = () => import("../features/live/player");
const LivePlayer = lazy(loadPlayer);

export interface Ended {
  liveSince: Date | null;
  endedAt: Date;
}

/** What the player shows (the contract's `data-stream-state`): no broadcast, open without media, media flowing, over. */
export type StreamState = "offline" | "starting" | "live" | "ended";

export function streamState(channel: Channel, ended: Ended | null): StreamState {
  const endedThisOne = ended !== null && ended.liveSince?.getTime() === channel.liveSince?.getTime();
  if (channel.isLive && !endedThisOne) return channel.isPublishing ? "live" : "starting";
  return ended ? "ended" : "offline";
}

/**
 * The big 16:9 area of a channel: the live player (joined as soon as the broadcast opens, so video shows
 * the instant it flows; "starting" until then), "stream ended", or the offline card.
 */
export function ChannelStage({
  channel,
  ended,
  own,
  onEnded,
}: {
  channel: Channel;
  ended: Ended | null;
  own: boolean;
  onEnded: () => void;
}) {
  const state = streamState(channel, ended);
  const open = state === "live" || state === "starting";
  // The contract's data-media-state, while a broadcast is open: what reaches this viewer (the player reports it).
  const [media, setMedia] = useState<MediaState>("connecting");
  return (
    <div data-testid="stream-player" data-stream-state={state} data-media-state={open ? media : undefined}>
      {open ? (
        <LiveStage key={channel.liveSince?.getTime() ?? "live"} channel={channel} own={own} onEnded={onEnded} onMediaState={setMedia} />
      ) : ended ? (
        <EndedCard channel={channel} ended={ended} />
      ) : (
        <OfflineCard channel={channel} />
      )}
    </div>
  );
}

function LiveStage({
  channel,
  own,
  onEnded,
  onMediaState,
}: {
  channel: Channel;
  own: boolean;
  onEnded: () => void;
  onMediaState: (state: MediaState) => void;
}) {
  const client = trpc.useUtils().client;
  // The next broadcast starts from "connecting", not from what this one reached.
  useEffect(() => () => onMediaState("connecting"), [onMediaState]);
  // Starts in the same render as the lazy player chunk: the token and the code load in parallel
  // (or the token came with the page: lib/preload.ts).
  // Read here, not only inside the lazy player: React Query re-renders for the fields a render read, and
  // the first render (player chunk still loading) would otherwise track none and miss the token.
  const { data, error, isFetching, refetch } = useQuery({
    queryKey: tokenQueryKey(channel.username, channel.liveSince),
    queryFn: () => client.stream.token.mutate({ username: channel.username }),
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
  });
  // Blocked (or unblocked) while watching: a fresh token request says so at once (FORBIDDEN → "You can't watch").
  const me = useViewer().me?.id;
  useChatEvents(channel.username, (event) => {
    if (event.type === "restricted" && event.userId === me && (event.kind === "block" || event.kind === null)) void refetch();
  });
  const token = { data: error ? undefined : data, error, isFetching, refetch };
  return (
    <Suspense
      fallback={
        <div
          className="@container relative aspect-video w-full overflow-hidden rounded-xl bg-black ring-1 ring-border"
          data-testid="live-player"
          data-state="loading"
        >
          <StartingMessage name={channel.displayName} publishing={channel.isPublishing} />
        </div>
      }
    >
      <LivePlayer
        token={token}
        username={channel.username}
        name={channel.displayName}
        title={channel.title}
        viewerCount={channel.viewerCount}
        publishing={channel.isPublishing}
        withoutVideo={channel.withoutVideo}
        own={own}
        onEnded={onEnded}
        onMediaState={onMediaState}
      />
    </Suspense>
  );
}

function OfflineCard({ channel: s }: { channel: Channel }) {
  return (
    <Thumbnail
      src={s.thumbnail}
      name={s.displayName}
      alt={`${s.displayName}'s channel artwork`}
      dim
      size="lg"
      className="rounded-xl ring-1 ring-border"
    >
      <div className="absolute inset-0 bg-gradient-to-t from-black/80 via-black/10 to-transparent" aria-hidden />
      <div className="absolute top-3 left-3">
        <Badge variant="offline" data-testid="offline-badge">
          Offline
        </Badge>
      </div>
      <div className="absolute inset-x-0 bottom-0 hidden p-6 sm:block">
        <p className="text-sm font-semibold tracking-wide text-white/80 uppercase">{s.displayName} is offline</p>
        <p className="mt-1 text-sm text-white/60">Follow along — the next broadcast shows up here.</p>
      </div>
    </Thumbnail>
  );
}

function duration(from: Date | null, to: Date): string | null {
  if (!from) return null;
  const minutes = Math.max(0, Math.round((to.getTime() - from.getTime()) / 60_000));
  if (minutes < 1) return "less than a minute";
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h ? `${h} h ${m} min` : `${m} min`;
}

function EndedCard({ channel: s, ended }: { channel: Channel; ended: Ended }) {
  const lasted = duration(ended.liveSince, ended.endedAt);
  return (
    <div className="relative aspect-video w-full overflow-hidden rounded-xl bg-[#0e0e13] ring-1 ring-border" data-testid="stream-ended">
      <div className="absolute inset-0 bg-[radial-gradient(ellipse_at_50%_0%,#3a102066_0%,transparent_60%)]" aria-hidden />
      <div className="absolute inset-0 flex flex-col items-center justify-center gap-2 p-4 text-center sm:gap-3">
        <Badge variant="offline">Offline</Badge>
        <h2 className="text-xl font-bold tracking-tight sm:text-3xl" role="status">
          Stream ended
        </h2>
        <p className="max-w-md text-xs text-muted-foreground sm:text-sm">
          {s.displayName} {lasted ? `was live for ${lasted}` : "has ended the broadcast"}. Thanks for watching — follow to catch the next
          one.
        </p>
        <Button asChild variant="secondary" size="sm" className="mt-1">
          <Link to="/">
            <Compass /> Find another live channel
          </Link>
        </Button>
      </div>
    </div>
  );
}
