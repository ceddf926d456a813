/**
 * The viewer's media state (the contract's `data-media-state`), as pure logic: what this viewer's own
 * LiveKit connection and video say, judged against two windows.
 */
export type MediaState = "connecting" | "playing" | "unreachable";

/** Where this viewer's LiveKit connection stands (connection.ts's `LinkStatus["state"]`). */
export type LinkState = "idle" | "connecting" | "connected" | "reconnecting" | "failed";

export interface MediaWindows {
  /** No video within this long after the stream went live (or a Retry): unreachable. */
  noMediaMs: number;
  /** A broadcast still without media after this long is "still starting". */
  stillStartingMs: number;
}

export const MEDIA_WINDOWS: MediaWindows = { noMediaMs: 20_000, stillStartingMs: 60_000 };

/** Browser tests shorten the windows (never by sleeping): `window.__onairMediaWindows = { … }` before the page loads. */
export function mediaWindows(): MediaWindows {
  const injected = (globalThis as { __onairMediaWindows?: Partial<MediaWindows> }).__onairMediaWindows;
  return { ...MEDIA_WINDOWS, ...injected };
}

export interface MediaInput {
  link: LinkState;
  /** The creator's media flows (`isPublishing`). */
  publishing: boolean;
  /** A video track is received and its element is playing. */
  videoPlaying: boolean;
  /** Sound arrives (an audio-only broadcast): media reached the viewer, though there is no picture to play. */
  audioArrived: boolean;
  /**
   * Where the no-media window starts (ms): the latest of this page seeing the stream go live, the viewer
   * pressing Retry, and the video last stopping (a camera turned off mid-stream gets the window again).
   */
  windowFrom: number | null;
  /** When this page saw the broadcast open without media (ms); null while media flows. */
  startingAt: number | null;
  now: number;
  windows: MediaWindows;
}

export interface MediaVerdict {
  state: MediaState;
  /** Why it is unreachable: the connection failed, or it is up (or trying) but no video came. */
  problem: "link" | "no-media" | null;
  /** The broadcast has been starting for longer than `stillStartingMs`. */
  stillStarting: boolean;
  /** When the verdict may change with time alone (ms), or null. */
  recheckAt: number | null;
}

export function judgeMedia(input: MediaInput): MediaVerdict {
  const { link, publishing, videoPlaying, audioArrived, windowFrom, startingAt, now, windows } = input;
  const stillStartingAt = !publishing && startingAt !== null ? startingAt + windows.stillStartingMs : null;
  const stillStarting = stillStartingAt !== null && now >= stillStartingAt;
  const pending = (at: number | null) => (at !== null && at > now ? at : null);

  if (link === "failed") return { state: "unreachable", problem: "link", stillStarting, recheckAt: pending(stillStartingAt) };
  if (!publishing) return { state: "connecting", problem: null, stillStarting, recheckAt: pending(stillStartingAt) };
  if (videoPlaying && link === "connected") return { state: "playing", problem: null, stillStarting: false, recheckAt: null };
  // LiveKit is getting the connection back (it gives up with "failed"); sound alone is media that arrived.
  if (link === "reconnecting" || audioArrived) return { state: "connecting", problem: null, stillStarting: false, recheckAt: null };
  const deadline = windowFrom === null ? null : windowFrom + windows.noMediaMs;
  if (deadline !== null && now >= deadline) return { state: "unreachable", problem: "no-media", stillStarting: false, recheckAt: null };
  return { state: "connecting", problem: null, stillStarting: false, recheckAt: deadline };
}
