import type { LocalVideoTrack } from "livekit-client";
import { CameraOff, Loader2, RotateCw, VideoOff } from "lucide-react";
import type { ReactNode } from "react";
import { Button } from "../../components/ui/button";
import { cn } from "../../lib/utils";
import type { LocalMedia } from "./use-local-media";
import { useTrackState } from "./use-track-state";
import { VideoView } from "./video-view";

interface SelfViewProps {
  media: LocalMedia;
  /** The screen being shared: the main picture, with the camera in a corner. */
  screen?: LocalVideoTrack | null;
  onRetry: () => void;
  /** Badges and status laid over the top of the picture. */
  children?: ReactNode;
  className?: string;
}

/** What the creator's camera sees (mirrored), or why it can't, with what to do about it. */
export function SelfView({ media, screen, onRetry, children, className }: SelfViewProps) {
  const camera = media.status === "ready" ? media.video : null;
  const { muted } = useTrackState(camera);
  return (
    <div
      className={cn(
        "relative aspect-video w-full overflow-hidden rounded-xl bg-black ring-1 ring-border",
        media.status === "error" && "max-sm:aspect-auto",
        className,
      )}
      data-testid="self-view"
    >
      {screen ? (
        <>
          <VideoView track={screen} label="Your shared screen" testId="screen-video" />
          {camera && !muted && (
            <div className="absolute right-3 bottom-3 w-1/4 overflow-hidden rounded-md ring-1 ring-white/20">
              <VideoView track={camera} mirror label="Your camera" className="aspect-video" />
            </div>
          )}
        </>
      ) : (
        camera && <VideoView track={camera} mirror label="Your camera preview" testId="camera-preview" />
      )}

      {media.status === "starting" && (
        <Cover icon={<Loader2 className="animate-spin" />} title="Starting your camera…">
          Your browser may ask to use your camera and microphone: choose Allow.
        </Cover>
      )}
      {media.status === "error" && (
        <Cover icon={<CameraOff className="text-amber-300" />} title={media.problem.title} alert tall>
          <p>{media.problem.detail}</p>
          {media.problem.retryable && (
            <Button variant="secondary" size="sm" onClick={onRetry} className="mt-1">
              <RotateCw /> Try again
            </Button>
          )}
        </Cover>
      )}
      {media.status === "ready" && !screen && (!camera || muted) && (
        <Cover icon={<VideoOff />} title={camera ? "Your camera is off" : "No camera"}>
          {camera ? "Viewers see a black screen until you turn it back on." : "Viewers hear you but see a black screen."}
        </Cover>
      )}
      {children}
    </div>
  );
}

/** `tall`: on phones the message sets the height instead of fitting into 16:9. */
function Cover({
  icon,
  title,
  children,
  alert,
  tall,
}: {
  icon: ReactNode;
  title: string;
  children?: ReactNode;
  alert?: boolean;
  tall?: boolean;
}) {
  return (
    <div
      className={cn(
        "absolute inset-0 flex items-center justify-center bg-[#0e0e13] p-4 text-center sm:p-8",
        tall && "max-sm:relative max-sm:py-8",
      )}
      data-testid="self-view-message"
    >
      <div className="grid max-w-md justify-items-center gap-2 sm:gap-3">
        <div className="flex size-10 items-center justify-center rounded-full bg-white/10 sm:size-12 [&_svg]:size-5 sm:[&_svg]:size-6">
          {icon}
        </div>
        <p className="text-base font-bold sm:text-lg" role={alert ? "alert" : "status"}>
          {title}
        </p>
        {children && (
          <div className="grid justify-items-center gap-2 text-xs leading-relaxed text-muted-foreground sm:text-sm">{children}</div>
        )}
      </div>
    </div>
  );
}
