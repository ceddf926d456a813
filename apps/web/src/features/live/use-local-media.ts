import {
  createLocalAudioTrack,
  createLocalTracks,
  createLocalVideoTrack,
  LocalAudioTrack,
  LocalVideoTrack,
  MediaDeviceFailure,
  Track,
  VideoPresets,
  type LocalTrack,
} from "livekit-client";
import { useCallback, useEffect, useState } from "react";
import { describeMediaError, missingDeviceNote, type MediaProblem } from "./media-errors";

const CAMERA_KEY = "onair.camera";
const MIC_KEY = "onair.microphone";

export const CAMERA_RESOLUTION = VideoPresets.h720.resolution;

export type LocalMedia =
  | { status: "starting" }
  | { status: "error"; problem: MediaProblem }
  | { status: "ready"; video: LocalVideoTrack | null; audio: LocalAudioTrack | null; note: string | null };

function remembered(key: string): string | undefined {
  try {
    return localStorage.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

function remember(key: string, deviceId: string) {
  try {
    localStorage.setItem(key, deviceId);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}

/** A remembered device when it is still plugged in; otherwise the browser's default. */
const preferred = (deviceId: string | undefined) => (deviceId ? { ideal: deviceId } : undefined);

async function acquire(): Promise<{ tracks: LocalTrack[]; note: string | null }> {
  const video = { deviceId: preferred(remembered(CAMERA_KEY)), resolution: CAMERA_RESOLUTION };
  const audio = { deviceId: preferred(remembered(MIC_KEY)), echoCancellation: true, noiseSuppression: true };
  try {
    return { tracks: await createLocalTracks({ video, audio }), note: null };
  } catch (error) {
    if (MediaDeviceFailure.getFailure(error) !== MediaDeviceFailure.NotFound) throw error;
    // One of the two is missing: go on with the other one and say which.
    const [cam, mic] = await Promise.allSettled([createLocalVideoTrack(video), createLocalAudioTrack(audio)]);
    const tracks = [cam, mic].flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    if (tracks.length === 0) throw error;
    return { tracks, note: missingDeviceNote(cam.status === "rejected" ? "camera" : "microphone") };
  }
}

/**
 * The creator's camera and microphone as LiveKit local tracks: the same tracks show the preview and
 * get published when going live, so pressing Go Live never asks for the camera again.
 */
export function useLocalMedia() {
  const [attempt, setAttempt] = useState(0);
  const [media, setMedia] = useState<LocalMedia>({ status: "starting" });

  useEffect(() => {
    let cancelled = false;
    let owned: LocalTrack[] = [];
    acquire().then(
      ({ tracks, note }) => {
        if (cancelled) return tracks.forEach((t) => t.stop());
        owned = tracks;
        const video = tracks.find((t): t is LocalVideoTrack => t instanceof LocalVideoTrack && t.source === Track.Source.Camera) ?? null;
        const audio = tracks.find((t): t is LocalAudioTrack => t instanceof LocalAudioTrack) ?? null;
        setMedia({ status: "ready", video, audio, note });
      },
      (error: unknown) => {
        if (!cancelled) setMedia({ status: "error", problem: describeMediaError(error) });
      },
    );
    return () => {
      cancelled = true;
      owned.forEach((t) => t.stop());
    };
  }, [attempt]);

  const retry = useCallback(() => {
    setMedia({ status: "starting" });
    setAttempt((n) => n + 1);
  }, []);

  /** Switches the device in place: works in the preview and while published (no re-publish). */
  const switchDevice = useCallback(
    async (kind: "videoinput" | "audioinput", deviceId: string) => {
      if (media.status !== "ready") return;
      const track = kind === "videoinput" ? media.video : media.audio;
      if (!track) return retry();
      await track.setDeviceId({ exact: deviceId });
      remember(kind === "videoinput" ? CAMERA_KEY : MIC_KEY, deviceId);
    },
    [media, retry],
  );

  return { media, retry, switchDevice };
}
