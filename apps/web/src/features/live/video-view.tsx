import type { Track } from "livekit-client";
import { useEffect, useRef } from "react";
import { cn } from "../../lib/utils";

interface VideoViewProps {
  track: Track | null | undefined;
  /** Mirror the creator's own camera, as a mirror would. */
  mirror?: boolean;
  className?: string;
  label: string;
  testId?: string;
  /** Told whether the element is playing the track's picture (a frame is on screen and moving). */
  onPlaying?: (playing: boolean) => void;
}

/** A <video> showing a LiveKit track (muted: sound plays through separate audio elements). */
export function VideoView({ track, mirror, className, label, testId, onPlaying }: VideoViewProps) {
  const ref = useRef<HTMLVideoElement>(null);
  const onPlayingRef = useRef(onPlaying);
  useEffect(() => {
    onPlayingRef.current = onPlaying;
  }, [onPlaying]);
  useEffect(() => {
    const element = ref.current;
    if (!track || !element) return;
    const playing = () => onPlayingRef.current?.(true);
    const stopped = () => onPlayingRef.current?.(false);
    const stops = ["pause", "emptied", "ended", "waiting"] as const;
    element.addEventListener("playing", playing);
    for (const event of stops) element.addEventListener(event, stopped);
    track.attach(element);
    return () => {
      element.removeEventListener("playing", playing);
      for (const event of stops) element.removeEventListener(event, stopped);
      track.detach(element);
      onPlayingRef.current?.(false);
    };
  }, [track]);
  return (
    <video
      ref={ref}
      aria-label={label}
      data-testid={testId}
      autoPlay
      playsInline
      muted
      className={cn("size-full bg-black object-contain", mirror && "-scale-x-100", className)}
    />
  );
}
