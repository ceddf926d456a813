import type { RemoteAudioTrack } from "livekit-client";
import { AlertTriangle, Loader2, RotateCw } from "lucide-react";
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

/** A centred message over the black video area. */
export function StageMessage({ icon, title, children, testId }: { icon: ReactNode; title: string; children?: ReactNode; testId?: string }) {
  return (
    <div
      className="absolute inset-0 flex items-center justify-center bg-black/75 px-4 pt-10 pb-12 text-center backdrop-blur-sm sm:p-8"
      data-testid={testId}
    >
      <div className="grid max-w-lg justify-items-center gap-2 sm:gap-3">
        <div className="hidden size-12 items-center justify-center rounded-full bg-white/10 text-white sm:flex [&_svg]:size-6">{icon}</div>
        <p className="text-sm font-bold text-white sm:text-lg" role="status">
          {title}
        </p>
        {children && <div className="grid justify-items-center gap-3 text-xs leading-relaxed text-white/70 sm:text-sm">{children}</div>}
      </div>
    </div>
  );
}

/** No video yet: the creator's media isn't flowing (`publishing` false), or it is and the picture is on its way. */
export function StartingMessage({ name, publishing }: { name: string; publishing: boolean }) {
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

/** The viewer's own connection to the video failed while the stream is live: theirs to fix, not the creator's. */
export function FailedMessage({
  name,
  url,
  reason,
  onRetry,
  retrying,
}: {
  name: string;
  url: string;
  reason: string;
  onRetry: () => void;
  retrying?: boolean;
}) {
  return (
    <StageMessage icon={<AlertTriangle className="text-amber-300" />} title="Your connection can't reach the video" testId="player-failed">
      {/* A phone's player has room for the title and Retry only (its top and bottom bars take the rest). */}
      <p className="hidden sm:block">
        {name} is live, but this browser couldn't reach{" "}
        <code className="rounded bg-white/10 px-1.5 py-0.5 font-mono text-[0.9em] break-all text-white">{url}</code>
        <span className="hidden sm:inline"> ({reason})</span>. Check your network (a VPN or firewall can block it), then retry.
      </p>
      <Button variant="secondary" size="sm" onClick={onRetry} pending={retrying}>
        <RotateCw /> Retry
      </Button>
    </StageMessage>
  );
}
