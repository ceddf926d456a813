import { MediaDeviceFailure } from "livekit-client";

export interface MediaProblem {
  /** Short headline. */
  title: string;
  /** What happened and what to do about it. */
  detail: string;
  /** Whether "Try again" can help without the person changing anything outside the page. */
  retryable: boolean;
}

/** Turns a getUserMedia failure into words that say what to do next. */
export function describeMediaError(error: unknown): MediaProblem {
  if (typeof window !== "undefined" && !window.isSecureContext) {
    return {
      title: "Camera needs a secure page",
      detail: "Browsers only share cameras with https:// pages (or localhost). Open OnAir over https and try again.",
      retryable: false,
    };
  }
  switch (MediaDeviceFailure.getFailure(error)) {
    case MediaDeviceFailure.PermissionDenied:
      return {
        title: "Camera and microphone are blocked",
        detail:
          "Your browser isn't letting OnAir use them. Click the camera icon in the address bar (or open site settings), allow camera and microphone, then press Try again.",
        retryable: true,
      };
    case MediaDeviceFailure.NotFound:
      return {
        title: "No camera or microphone found",
        detail: "Plug one in, or check that it's switched on and enabled in your system's privacy settings, then press Try again.",
        retryable: true,
      };
    case MediaDeviceFailure.DeviceInUse:
      return {
        title: "Your camera is busy",
        detail: "Another app or tab is using it. Close apps like Zoom, Teams or OBS (or the other tab), then press Try again.",
        retryable: true,
      };
    default:
      return {
        title: "We couldn't start your camera",
        detail: `${error instanceof Error ? error.message : String(error)}. Check your devices, then press Try again.`,
        retryable: true,
      };
  }
}

/** Friendly words for a device we could open only partly ("no microphone": live, but silent). */
export function missingDeviceNote(missing: "camera" | "microphone"): string {
  return missing === "camera"
    ? "No camera found: you'll go live with audio only. Connect a camera and press Try again to add it."
    : "No microphone found: viewers won't hear you. Connect a microphone and press Try again to add it.";
}
