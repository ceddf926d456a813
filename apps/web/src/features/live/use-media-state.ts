import { useEffect, useState } from "react";
import { judgeMedia, mediaWindows, type LinkState, type MediaVerdict, type MediaWindows } from "./media-state";

/**
 * The player's media verdict (media-state.ts) kept current: it notes when the stream went live, when it
 * started, when the video stopped and when the viewer retried, and re-judges when a window runs out.
 */
export function useMediaState({
  link,
  publishing,
  videoPlaying,
  audioArrived,
  attempt,
}: {
  link: LinkState;
  publishing: boolean;
  videoPlaying: boolean;
  audioArrived: boolean;
  /** Bumped by Retry: the no-media window starts again. */
  attempt: number;
}): MediaVerdict & { windows: MediaWindows } {
  const [windows] = useState(mediaWindows);
  const [now, setNow] = useState(() => Date.now());
  const [windowFrom, setWindowFrom] = useState<number | null>(null);
  const [startingAt, setStartingAt] = useState<number | null>(null);

  // Going live, a Retry and the video stopping each open the no-media window again.
  useEffect(() => {
    const at = Date.now();
    setNow(at);
    setWindowFrom(publishing && !videoPlaying ? at : null);
  }, [publishing, videoPlaying, attempt]);
  // A broadcast open without media: the "still starting" window.
  useEffect(() => {
    setStartingAt(publishing ? null : Date.now());
  }, [publishing]);

  const verdict = judgeMedia({ link, publishing, videoPlaying, audioArrived, windowFrom, startingAt, now, windows });
  const { recheckAt } = verdict;
  useEffect(() => {
    if (recheckAt === null) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.max(0, recheckAt - Date.now()));
    return () => clearTimeout(timer);
  }, [recheckAt]);
  return { ...verdict, windows };
}
