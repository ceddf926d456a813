import { AlertTriangle, Loader2, LogOut, Radio, RotateCw } from "lucide-react";
import { Link, useLocation } from "react-router";
import { Button } from "../../components/ui/button";
import { cn } from "../../lib/utils";
import type { LinkStatus } from "../live/connection";
import { MediaToggles } from "../live/media-toggles";
import type { useLocalMedia } from "../live/use-local-media";
import { VideoView } from "../live/video-view";

interface OnStageBarProps {
  channel: string;
  local: ReturnType<typeof useLocalMedia>;
  status: LinkStatus;
  retrying: boolean;
  onRetry: () => void;
  leaving: boolean;
  onLeave: () => void;
}

function describe(status: LinkStatus): string {
  switch (status.state) {
    case "connected":
      return "Everyone watching sees and hears you.";
    case "reconnecting":
      return "Your connection dropped: reconnecting…";
    case "failed":
      return `Your camera isn't reaching viewers: this browser couldn't reach the live video server (${status.reason}).`;
    default:
      return "Connecting your camera and microphone…";
  }
}

/** Above every page while the user is a guest: their picture, where it stands, mute buttons, and Leave. */
export function OnStageBar({ channel, local, status, retrying, onRetry, leaving, onLeave }: OnStageBarProps) {
  const ready = local.media.status === "ready" ? local.media : null;
  const location = useLocation();
  const failed = status.state === "failed";
  return (
    <section
      aria-labelledby="on-stage-heading"
      data-testid="on-stage-bar"
      data-state={status.state}
      className={cn(
        "mb-4 flex flex-wrap items-center gap-x-4 gap-y-3 rounded-xl border p-3 sm:p-4",
        failed ? "border-amber-400/40 bg-amber-400/10" : "border-primary/40 bg-primary/10",
      )}
    >
      <div className="relative aspect-video w-28 shrink-0 overflow-hidden rounded-md bg-black ring-1 ring-white/10 sm:w-36">
        {ready?.video && <VideoView track={ready.video} mirror label="Your camera on stage" />}
      </div>
      <div className="grid min-w-0 flex-1 basis-40 gap-0.5">
        <h2 id="on-stage-heading" className="flex items-center gap-2 font-bold">
          <Radio className="size-4 shrink-0 text-primary" aria-hidden /> You're on stage
          <span className="truncate font-normal text-muted-foreground">with {channel}</span>
        </h2>
        <p className="flex items-start gap-1.5 text-xs text-muted-foreground sm:text-sm" role="status">
          {failed ? (
            <AlertTriangle className="mt-0.5 size-3.5 shrink-0 text-amber-300" aria-hidden />
          ) : status.state !== "connected" ? (
            <Loader2 className="mt-0.5 size-3.5 shrink-0 animate-spin" aria-hidden />
          ) : null}
          <span className="break-words">{describe(status)}</span>
        </p>
        {location.pathname !== `/${channel}` && (
          <Link
            to={`/${channel}`}
            className="w-fit rounded-sm text-xs font-medium text-brand outline-none hover:underline focus-visible:ring-2 focus-visible:ring-ring"
          >
            Back to {channel}'s stream
          </Link>
        )}
      </div>
      <div className="flex w-full items-center gap-2 sm:w-auto">
        <MediaToggles video={ready?.video ?? null} audio={ready?.audio ?? null} />
        <div className="ml-auto flex gap-2">
          {failed && (
            <Button variant="secondary" pending={retrying} onClick={onRetry}>
              {!retrying && <RotateCw />} Retry
            </Button>
          )}
          <Button variant="destructive" pending={leaving} onClick={onLeave}>
            {!leaving && <LogOut />} Leave
          </Button>
        </div>
      </div>
    </section>
  );
}
