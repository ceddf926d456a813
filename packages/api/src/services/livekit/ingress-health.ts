import type { IngressInfo } from "livekit-server-sdk";

/** LiveKit's `IngressState.Status` (livekit_ingress.proto; the SDK does not re-export the enum). */
const IngressState_Status = { ENDPOINT_INACTIVE: 0, ENDPOINT_BUFFERING: 1, ENDPOINT_PUBLISHING: 2, ENDPOINT_ERROR: 3 } as const;

/**
 * What the *Streaming software* page shows about the creator's ingress, from LiveKit's `IngressInfo.state`:
 * `waiting` for the software to connect, `receiving` (connected, buffering before it publishes), `live`
 * (publishing into the room), or `error` with LiveKit's words; the incoming video when LiveKit reports it.
 */
export interface IngressHealth {
  state: "waiting" | "receiving" | "live" | "error";
  /** LiveKit's error message while `state` is `error`. */
  problem: string | null;
  /** The incoming video as LiveKit measures it; null until it reports one. */
  video: { bitrate: number; width: number; height: number; framerate: number } | null;
}

export function ingressHealth(info: Pick<IngressInfo, "state">): IngressHealth {
  const state = info.state;
  const status: number = state?.status ?? IngressState_Status.ENDPOINT_INACTIVE;
  const video = state?.video;
  const measured = video && (video.averageBitrate > 0 || video.width > 0);
  return {
    state:
      status === IngressState_Status.ENDPOINT_PUBLISHING
        ? "live"
        : status === IngressState_Status.ENDPOINT_BUFFERING
          ? "receiving"
          : status === IngressState_Status.ENDPOINT_ERROR
            ? "error"
            : "waiting",
    problem: status === IngressState_Status.ENDPOINT_ERROR ? state?.error || "LiveKit reported an error" : null,
    // Only while software is connected: an inactive ingress may still carry its last session's figures.
    video:
      measured && (status === IngressState_Status.ENDPOINT_PUBLISHING || status === IngressState_Status.ENDPOINT_BUFFERING)
        ? { bitrate: video.averageBitrate, width: video.width, height: video.height, framerate: video.framerate }
        : null,
  };
}
