import type { LocalVideoTrack } from "livekit-client";
import { useEffect, useState } from "react";
import { videoFigures, type LayerSample, type VideoFigures } from "./stream-health";

const SAMPLE_EVERY_MS = 2000;

/** The outgoing video's figures, sampled from livekit-client's sender stats every 2 s while `active` (published). */
export function useVideoFigures(video: LocalVideoTrack | null, active: boolean): VideoFigures | null {
  const [figures, setFigures] = useState<VideoFigures | null>(null);
  useEffect(() => {
    if (!video || !active) return;
    let previous: LayerSample[] | null = null;
    let stopped = false;
    const sample = async () => {
      const stats = await video.getSenderStats().catch(() => []);
      if (stopped || stats.length === 0) return;
      const current = stats.map(({ bytesSent, frameWidth, frameHeight, framesPerSecond, timestamp }) => ({
        bytesSent,
        frameWidth,
        frameHeight,
        framesPerSecond,
        timestamp,
      }));
      setFigures(videoFigures(previous, current));
      previous = current;
    };
    void sample();
    const timer = setInterval(() => void sample(), SAMPLE_EVERY_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
      setFigures(null);
    };
  }, [video, active]);
  return figures;
}
