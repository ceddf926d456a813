/**
 * Stream health as pure logic: the outgoing video's figures from successive sender-stats samples
 * (livekit-client's `LocalVideoTrack.getSenderStats()`, one entry per simulcast layer), the warnings when
 * they drop, and how the studio and the Streaming software page write them.
 */
export type Quality = "excellent" | "good" | "poor" | "lost" | "unknown";

/** One layer of one `getSenderStats()` answer. */
export interface LayerSample {
  bytesSent?: number;
  frameWidth?: number;
  frameHeight?: number;
  framesPerSecond?: number;
  timestamp?: number;
}

export interface VideoFigures {
  /** Bits per second over the last interval; null until two samples. */
  bitrate: number | null;
  width: number | null;
  height: number | null;
  fps: number | null;
}

/** Below these the studio warns (a watchable 360p stream needs roughly this much). */
export const THRESHOLDS = { minBitrate: 300_000, minFps: 15, minHeight: 360 } as const;

const sum = (layers: LayerSample[]) => layers.reduce((total, layer) => total + (layer.bytesSent ?? 0), 0);
const time = (layers: LayerSample[]) => Math.max(0, ...layers.map((layer) => layer.timestamp ?? 0));

/** The figures from the previous sample to this one: total bitrate across layers, the largest layer's size and rate. */
export function videoFigures(previous: LayerSample[] | null, current: LayerSample[]): VideoFigures {
  const top = current.reduce<LayerSample | null>(
    (best, layer) => ((layer.frameHeight ?? 0) > (best?.frameHeight ?? -1) ? layer : best),
    null,
  );
  let bitrate: number | null = null;
  if (previous && previous.length > 0) {
    const seconds = (time(current) - time(previous)) / 1000;
    const bytes = sum(current) - sum(previous);
    if (seconds > 0 && bytes >= 0) bitrate = Math.round((bytes * 8) / seconds);
  }
  return {
    bitrate,
    width: top?.frameWidth ?? null,
    height: top?.frameHeight ?? null,
    fps: top?.framesPerSecond !== undefined ? Math.round(top.framesPerSecond) : null,
  };
}

/** What the creator is told when the stream suffers; empty while all is well (or not yet measured). */
export function healthWarnings(quality: Quality, video: VideoFigures | null): string[] {
  const warnings: string[] = [];
  if (quality === "lost") warnings.push("Your connection to the live server is lost: viewers see a frozen picture.");
  else if (quality === "poor") warnings.push("Your connection is poor: viewers may see stutter or a blurry picture.");
  if (video?.bitrate != null && video.bitrate < THRESHOLDS.minBitrate) {
    warnings.push(`Your video is sending only ${formatBitrate(video.bitrate)}: close other uploads or move closer to your Wi-Fi.`);
  }
  if (video?.fps != null && video.fps < THRESHOLDS.minFps) {
    warnings.push(`Your video dropped to ${video.fps} fps: your computer or connection can't keep up.`);
  }
  if (video?.height != null && video.height < THRESHOLDS.minHeight) {
    warnings.push(`Your video is down to ${formatResolution(video.width, video.height)}: the connection can't carry more.`);
  }
  return warnings;
}

export function formatBitrate(bitsPerSecond: number): string {
  if (bitsPerSecond >= 1_000_000) return `${(bitsPerSecond / 1_000_000).toFixed(1)} Mbps`;
  return `${Math.round(bitsPerSecond / 1000)} kbps`;
}

export function formatResolution(width: number | null, height: number | null): string {
  return width && height ? `${width}×${height}` : "—";
}
