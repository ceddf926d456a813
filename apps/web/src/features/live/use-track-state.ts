import { TrackEvent, type Track } from "livekit-client";
import { useEffect, useState } from "react";

/**
 * Re-renders when a track is muted, unmuted or restarted (a device switch replaces its
 * MediaStreamTrack), so meters and buttons follow it.
 */
export function useTrackState(track: Track | null | undefined) {
  const [, setVersion] = useState(0);
  useEffect(() => {
    if (!track) return;
    const bump = () => setVersion((n) => n + 1);
    const events = [TrackEvent.Muted, TrackEvent.Unmuted, TrackEvent.Restarted, TrackEvent.Ended] as const;
    for (const event of events) track.on(event, bump);
    return () => {
      for (const event of events) track.off(event, bump);
    };
  }, [track]);
  return {
    muted: track?.isMuted ?? true,
    mediaStreamTrack: track?.mediaStreamTrack,
    deviceId: track?.mediaStreamTrack.getSettings().deviceId,
  };
}
