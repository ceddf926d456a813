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
}

/** A <video> showing a LiveKit track (muted: sound plays through separate audio elements). */
export function VideoView({ track, mirror, className, label, testId }: VideoViewProps) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!track || !element) return;
    track.attach(element);
    return () => {
      track.detach(element);
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
