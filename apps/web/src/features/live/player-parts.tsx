import type { RemoteAudioTrack } from "livekit-client";
import { AlertTriangle, Clock, Loader2, RotateCw } from "lucide-react";
import { useCallback, useEffect, useRef, useState, type ReactNode, type RefObject } from "react";
import { Button } from "../../components/ui/button";

/** Plays one remote audio track; `muted` is the viewer's choice. */
export function AudioSink({ track, muted }: { track: RemoteAudioTrack; muted: boolean }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    track.attach(element);
    return () => {
      track.detach(element);
    };
  }, [track]);
  useEffect(() => {
    if (ref.current) ref.current.muted = muted;
  }, [muted]);
  return <audio ref={ref} autoPlay hidden />;
}

export function useFullscreen(ref: RefObject<HTMLElement | null>) {
  const [isFullscreen, setIsFullscreen] = useState(false);
  useEffect(() => {
    const sync = () => setIsFullscreen(document.fullscreenElement === ref.current && ref.current !== null);
    document.addEventListener("fullscreenchange", sync);
    return () => document.removeEventListener("fullscreenchange", sync);
  }, [ref]);
  const toggle = useCallback(() => {
    const element = ref.current;
    if (!element) return;
    if (document.fullscreenElement) return void document.exitFullscreen().catch(() => {});
    if (element.requestFullscreen) return void element.requestFullscreen().catch(() => {});
    // iPhone Safari: only a <video> goes fullscreen.
    const video = element.querySelector<HTMLVideoElement & { webkitEnterFullscreen?: () => void }>("video");
    video?.webkitEnterFullscreen?.();
  }, [ref]);
  return { isFullscreen, toggle };
}

/** A centred message over the black video area; compact in a small player or a stage tile (a container query). */
export function StageMessage({ icon, title, children, testId }: { icon: ReactNode; title: string; children?: ReactNode; testId?: string }) {
  return (
    <div
      className="absolute inset-0 flex items-center justify-center bg-black/75 px-4 pt-10 pb-12 text-center backdrop-blur-sm @lg:p-8"
      data-testid={testId}
    >
      <div className="grid max-w-lg justify-items-center gap-2 @lg:gap-3">
        <div className="hidden size-12 items-center justify-center rounded-full bg-white/10 text-white @lg:flex [&_svg]:size-6">{icon}</div>
        <p className="text-sm font-bold text-white @lg:text-lg" role="status">
          {title}
        </p>
        {children && <div className="grid justify-items-center gap-3 text-xs leading-relaxed text-white/70 @lg:text-sm">{children}</div>}
      </div>
    </div>
  );
}

/**
 * No video yet: the creator's media isn't flowing (`publishing` false), or it is and the picture is on its way.
 * A broadcast starting for over a minute says so: the wait is the creator's, and it may not end.
 */
export function StartingMessage({ name, publishing, stillStarting }: { name: string; publishing: boolean; stillStarting?: boolean }) {
  if (stillStarting && !publishing) {
    return (
      <StageMessage icon={<Clock />} title={`${name} is still starting`} testId="player-still-starting">
        <p>
          Still starting — the creator's video hasn't arrived yet, over a minute in.
          <span className="hidden @lg:inline">
            {" "}
            It shows here the moment it does; they may be having trouble with their camera or connection.
          </span>
        </p>
      </StageMessage>
    );
  }
  return (
    <StageMessage
      icon={<Loader2 className="animate-spin" />}
      title={publishing ? `Loading ${name}'s video…` : `${name} is starting the stream…`}
      testId="player-starting"
    >
      <p>{publishing ? "It shows here in a moment." : "The video shows here the moment it starts flowing. Stay on this page."}</p>
    </StageMessage>
  );
}

interface RetryProps {
  name: string;
  onRetry: () => void;
  retrying?: boolean;
}

function RetryButton({ onRetry, retrying }: Pick<RetryProps, "onRetry" | "retrying">) {
  return (
    <Button variant="secondary" size="sm" onClick={onRetry} pending={retrying}>
      <RotateCw /> Retry
    </Button>
  );
}

/** The viewer's own connection to the video failed (live or starting): theirs to fix, not the creator's. */
export function FailedMessage({
  name,
  url,
  reason,
  publishing,
  onRetry,
  retrying,
}: RetryProps & { url: string; reason: string; publishing: boolean }) {
  return (
    <StageMessage icon={<AlertTriangle className="text-amber-300" />} title="Your connection can't reach the video" testId="player-failed">
      {/* A phone's player has room for the title and Retry only (its top and bottom bars take the rest). */}
      <p className="hidden @lg:block">
        {name} is {publishing ? "live" : "starting the stream"}, but this browser couldn't reach{" "}
        <code className="rounded bg-white/10 px-1.5 py-0.5 font-mono text-[0.9em] break-all text-white">{url}</code> ({reason}). Check your
        network (a VPN or firewall can block it), then retry.
      </p>
      <RetryButton onRetry={onRetry} retrying={retrying} />
    </StageMessage>
  );
}

/** Connected (or still trying), but no video came within the window of the stream going live. */
export function NoMediaMessage({ name, seconds, onRetry, retrying }: RetryProps & { seconds: number }) {
  return (
    <StageMessage icon={<AlertTriangle className="text-amber-300" />} title="The video isn't reaching you" testId="player-no-media">
      <p className="hidden @lg:block">
        {name} is live, but no video has reached this browser in {seconds} s. Your network may be blocking it (a VPN or firewall), or the
        connection is too slow. Retry to connect again.
      </p>
      <RetryButton onRetry={onRetry} retrying={retrying} />
    </StageMessage>
  );
}
