import { describe, expect, it } from "vitest";
import { judgeMedia, MEDIA_WINDOWS, mediaWindows, type MediaInput } from "./media-state";

const live: MediaInput = {
  link: "connecting",
  publishing: true,
  videoPlaying: false,
  audioArrived: false,
  windowFrom: 1_000,
  startingAt: null,
  now: 1_000,
  windows: MEDIA_WINDOWS,
};
const starting: MediaInput = { ...live, publishing: false, windowFrom: null, startingAt: 1_000 };

describe("judgeMedia: the viewer's data-media-state", () => {
  it("connecting while the connection comes up, with a recheck at the end of the 20 s window", () => {
    expect(judgeMedia(live)).toEqual({ state: "connecting", problem: null, stillStarting: false, recheckAt: 21_000 });
    expect(judgeMedia({ ...live, link: "connected", now: 20_999 }).state).toBe("connecting");
  });

  it("playing only once a video track plays over a connected room", () => {
    expect(judgeMedia({ ...live, link: "connected", videoPlaying: true })).toMatchObject({ state: "playing", recheckAt: null });
    // A video element still playing the last frames of a room that is reconnecting is not "playing".
    expect(judgeMedia({ ...live, link: "reconnecting", videoPlaying: true }).state).toBe("connecting");
  });

  it("unreachable when the viewer's own connection failed: live or starting", () => {
    expect(judgeMedia({ ...live, link: "failed" })).toMatchObject({ state: "unreachable", problem: "link" });
    expect(judgeMedia({ ...starting, link: "failed" })).toMatchObject({ state: "unreachable", problem: "link", stillStarting: false });
    expect(judgeMedia({ ...live, link: "failed", videoPlaying: true }).state).toBe("unreachable");
  });

  it("unreachable when no media arrived within the window of going live, whether connected or still connecting", () => {
    for (const link of ["connecting", "connected", "idle"] as const) {
      expect(judgeMedia({ ...live, link, now: 21_000 })).toEqual({
        state: "unreachable",
        problem: "no-media",
        stillStarting: false,
        recheckAt: null,
      });
    }
    // The window is the injected one (browser tests shorten it).
    expect(judgeMedia({ ...live, now: 1_500, windows: { noMediaMs: 500, stillStartingMs: 1_000 } }).state).toBe("unreachable");
  });

  it("sound alone is media that arrived (an audio-only broadcast): no deadline, never 'playing'", () => {
    expect(judgeMedia({ ...live, link: "connected", audioArrived: true, now: 99_000 })).toMatchObject({
      state: "connecting",
      recheckAt: null,
    });
  });

  it("reconnecting is connecting (LiveKit ends it with failed), whatever the window", () => {
    expect(judgeMedia({ ...live, link: "reconnecting", now: 99_000 })).toMatchObject({ state: "connecting", recheckAt: null });
  });

  it("a starting broadcast is connecting (nothing to receive), 'still starting' after a minute", () => {
    expect(judgeMedia({ ...starting, link: "connected" })).toEqual({
      state: "connecting",
      problem: null,
      stillStarting: false,
      recheckAt: 61_000,
    });
    expect(judgeMedia({ ...starting, link: "connected", now: 61_000 })).toEqual({
      state: "connecting",
      problem: null,
      stillStarting: true,
      recheckAt: null,
    });
    // Its own connection failing is still said, and so is the long start.
    expect(judgeMedia({ ...starting, link: "failed", now: 61_000 })).toMatchObject({
      state: "unreachable",
      problem: "link",
      stillStarting: true,
    });
  });

  it("the windows default to 20 s and 1 min, and a test hook may shorten them", () => {
    expect(mediaWindows()).toEqual({ noMediaMs: 20_000, stillStartingMs: 60_000 });
    (globalThis as { __onairMediaWindows?: object }).__onairMediaWindows = { noMediaMs: 300 };
    try {
      expect(mediaWindows()).toEqual({ noMediaMs: 300, stillStartingMs: 60_000 });
    } finally {
      delete (globalThis as { __onairMediaWindows?: object }).__onairMediaWindows;
    }
  });
});
