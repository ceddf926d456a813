import { ExternalLink, Square, Users } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import type { RouterOutputs } from "@onair/api";
import { Badge, LiveBadge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card } from "../../components/ui/card";
import { ConfirmDialog } from "../../features/live/confirm-dialog";
import { ActivityAlert, ActivityFeed } from "../../components/activity/activity-feed";
import { useActivity } from "../../components/activity/use-activity";
import { BroadcastTotal } from "../../features/gifts/broadcast-total";
import { LinkBanner, LinkPill } from "../../features/live/link-status";
import { LiveClock } from "../../features/live/live-clock";
import { MediaControls } from "../../features/live/media-controls";
import { SelfView } from "../../features/live/self-view";
import type { Phase, useGoLive } from "../../features/live/use-go-live";
import type { useLocalMedia } from "../../features/live/use-local-media";
import { formatCount } from "../../lib/utils";
import { HealthPanel } from "../../features/health/health-panel";
import { useVideoFigures } from "../../features/health/use-stream-health";
import { StudioStage } from "../../features/stage/studio-stage";

type Stream = NonNullable<RouterOutputs["stream"]["mine"]>;

interface StudioProps {
  stream: Stream;
  phase: Extract<Phase, { kind: "live" }>;
  local: ReturnType<typeof useLocalMedia>;
  session: ReturnType<typeof useGoLive>;
  viewerCount: number;
}

/** While live: your picture, the LIVE clock, viewers, connection, controls and End stream. */
export function GoLiveStudio({ stream, phase, local, session, viewerCount }: StudioProps) {
  const [confirming, setConfirming] = useState(false);
  const { media, retry } = local;
  const { publisher } = session;
  const ready = media.status === "ready" ? media : null;
  const status = publisher.status;
  const figures = useVideoFigures(ready?.video ?? null, publisher.publishing);
  const activity = useActivity();
  const heading = useRef<HTMLHeadingElement>(null);
  // The Go Live button is gone (focus fell to <body>): a keyboard or screen-reader user lands on "You're live",
  // and the next Tab reaches End stream.
  useEffect(() => {
    if (!document.activeElement || document.activeElement === document.body) heading.current?.focus();
  }, []);

  return (
    <section aria-labelledby="live-heading" className="grid grid-cols-1 gap-4" data-testid="live-studio" data-room={phase.roomName}>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-3">
        <h2 id="live-heading" ref={heading} tabIndex={-1} className="sr-only">
          You're live
        </h2>
        <div className="flex items-center gap-2 text-sm font-semibold">
          <OnAirBadge publishing={publisher.publishing} withoutVideo={phase.withoutVideo} className="px-2 py-1 text-xs" />
          <LiveClock since={phase.startedAt} />
        </div>
        <span className="inline-flex items-center gap-1.5 text-sm text-muted-foreground" data-testid="live-viewers">
          <Users className="size-4" aria-hidden /> <span className="font-semibold text-foreground">{formatCount(viewerCount)}</span>{" "}
          watching
        </span>
        <BroadcastTotal username={stream.username} />
        {!phase.withoutVideo && <LinkPill status={status} />}
        <Button variant="destructive" className="ml-auto" onClick={() => setConfirming(true)}>
          <Square className="fill-current !size-3.5" aria-hidden /> End stream
        </Button>
      </div>

      <SelfView media={media} screen={publisher.screen} onRetry={retry}>
        <div className="pointer-events-none absolute top-3 left-3 flex items-center gap-2">
          <OnAirBadge publishing={publisher.publishing} withoutVideo={phase.withoutVideo} />
          <span className="rounded bg-black/60 px-1.5 py-0.5 text-xs font-semibold text-white">
            <LiveClock since={phase.startedAt} />
          </span>
        </div>
        <ActivityAlert event={activity.alert} />
      </SelfView>

      {status.state === "connected" && !publisher.publishing && (
        <p className="text-sm text-muted-foreground" role="status">
          Connected. Viewers see “starting” until your camera or microphone is on.
        </p>
      )}
      {phase.withoutVideo ? (
        <p className="rounded-md border border-amber-500/40 bg-amber-500/10 p-3 text-sm" role="status" data-testid="without-video-note">
          <span className="font-semibold">Live without video (development only).</span> Viewers see that you're live without a picture;
          chat, gifts and your activity feed work. Your channel isn't listed as live and followers aren't alerted. Start LiveKit and go live
          again for video.
        </p>
      ) : (
        status.state !== "connected" && <LinkBanner status={status} onRetry={session.retry} retrying={session.retrying} />
      )}
      {ready?.note && <p className="text-sm text-muted-foreground">{ready.note}</p>}

      {!phase.withoutVideo && <HealthPanel quality={publisher.quality} video={figures} />}

      <MediaControls
        local={local}
        screen={{ sharing: publisher.screen !== null, available: status.state === "connected", toggle: publisher.toggleScreenShare }}
      />

      {!phase.withoutVideo && <StudioStage channel={stream.username} />}

      <ActivityFeed events={activity.events} subscribed={activity.subscribed} />

      <Card className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center sm:p-5">
        <div className="min-w-0 flex-1">
          <p className="text-xs font-medium text-muted-foreground">On air as</p>
          <p className="truncate font-semibold" data-testid="live-title">
            {stream.title}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button asChild variant="outline" size="sm">
            <Link to="/dashboard" target="_blank" rel="noopener">
              Edit title & chat <ExternalLink aria-hidden />
              <span className="sr-only">(opens in a new tab)</span>
            </Link>
          </Button>
          <Button asChild variant="outline" size="sm">
            <Link to={`/${stream.username}`} target="_blank" rel="noopener">
              Watch as a viewer <ExternalLink aria-hidden />
              <span className="sr-only">(opens in a new tab)</span>
            </Link>
          </Button>
        </div>
      </Card>

      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title="End your stream?"
        confirmLabel="End stream"
        cancelLabel="Keep streaming"
        pending={session.ending}
        onConfirm={session.end}
      >
        Viewers are disconnected and your channel goes offline. You've been live for <LiveClock since={phase.startedAt} />.
      </ConfirmDialog>
    </section>
  );
}

/** LIVE only while media reaches LiveKit; "Starting" before (viewers see the same). */
function OnAirBadge({ publishing, withoutVideo, className }: { publishing: boolean; withoutVideo: boolean; className?: string }) {
  if (publishing) return <LiveBadge className={className} />;
  if (withoutVideo) {
    return (
      <Badge variant="offline" className={className} data-testid="studio-without-video">
        No video · dev
      </Badge>
    );
  }
  return (
    <Badge variant="offline" className={className} data-testid="studio-starting">
      Starting
    </Badge>
  );
}
