import { describe, expect, it } from "vitest";
import { formatBitrate, formatResolution, healthWarnings, videoFigures } from "./stream-health";

describe("videoFigures: the outgoing video from sender stats", () => {
  it("bitrate from the bytes sent across every simulcast layer between two samples; size and rate of the largest layer", () => {
    const before = [
      { bytesSent: 100_000, timestamp: 1_000, frameHeight: 180, frameWidth: 320, framesPerSecond: 15 },
      { bytesSent: 400_000, timestamp: 1_000, frameHeight: 720, frameWidth: 1280, framesPerSecond: 30 },
    ];
    const after = [
      { bytesSent: 150_000, timestamp: 3_000, frameHeight: 180, frameWidth: 320, framesPerSecond: 15 },
      { bytesSent: 900_000, timestamp: 3_000, frameHeight: 720, frameWidth: 1280, framesPerSecond: 29.7 },
    ];
    // (50,000 + 500,000) bytes in 2 s = 2.2 Mbps
    expect(videoFigures(before, after)).toEqual({ bitrate: 2_200_000, width: 1280, height: 720, fps: 30 });
  });

  it("no bitrate from one sample, or when the counters went backwards (a new sender)", () => {
    const one = [{ bytesSent: 10, timestamp: 1, frameHeight: 480, frameWidth: 640, framesPerSecond: 24 }];
    expect(videoFigures(null, one)).toEqual({ bitrate: null, width: 640, height: 480, fps: 24 });
    expect(videoFigures([{ bytesSent: 5_000, timestamp: 0 }], [{ bytesSent: 10, timestamp: 1_000 }]).bitrate).toBeNull();
    expect(videoFigures([], [])).toEqual({ bitrate: null, width: null, height: null, fps: null });
  });
});

describe("healthWarnings: thresholds", () => {
  const good = { bitrate: 2_000_000, width: 1280, height: 720, fps: 30 };
  it("nothing while quality and figures are fine, or not measured yet", () => {
    expect(healthWarnings("excellent", good)).toEqual([]);
    expect(healthWarnings("good", good)).toEqual([]);
    expect(healthWarnings("unknown", null)).toEqual([]);
    expect(healthWarnings("good", { bitrate: null, width: null, height: null, fps: null })).toEqual([]);
  });

  it("warns on a poor or lost connection", () => {
    expect(healthWarnings("poor", good)).toEqual([expect.stringContaining("connection is poor")]);
    expect(healthWarnings("lost", good)).toEqual([expect.stringContaining("lost")]);
  });

  it("warns below 300 kbps, 15 fps and 360p — and not at them", () => {
    expect(healthWarnings("good", { ...good, bitrate: 299_000 })).toEqual([expect.stringContaining("only 299 kbps")]);
    expect(healthWarnings("good", { ...good, fps: 12 })).toEqual([expect.stringContaining("12 fps")]);
    expect(healthWarnings("good", { ...good, width: 320, height: 180 })).toEqual([expect.stringContaining("320×180")]);
    expect(healthWarnings("good", { bitrate: 300_000, width: 640, height: 360, fps: 15 })).toEqual([]);
    expect(healthWarnings("poor", { bitrate: 100_000, width: 320, height: 180, fps: 5 })).toHaveLength(4);
  });
});

describe("formatting", () => {
  it("writes bitrates and sizes as people read them", () => {
    expect(formatBitrate(2_500_000)).toBe("2.5 Mbps");
    expect(formatBitrate(850_400)).toBe("850 kbps");
    expect(formatResolution(1280, 720)).toBe("1280×720");
    expect(formatResolution(null, null)).toBe("—");
  });
});
