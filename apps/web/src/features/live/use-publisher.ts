import {
  ConnectionState,
  DisconnectReason,
  LocalVideoTrack,
  Room,
  RoomEvent,
  Track,
  type LocalAudioTrack,
  type LocalTrack,
  type LocalTrackPublication,
} from "livekit-client";
import { useCallback, useEffect, useRef, useState } from "react";
import type { Quality } from "../health/stream-health";
import { toast } from "../../lib/toast";
import { describeConnectionError, fromConnectionState, isCancelled, type LinkStatus } from "./connection";
import { CAMERA_RESOLUTION } from "./use-local-media";

function createPublisherRoom() {
  return new Room({
    dynacast: true,
    videoCaptureDefaults: { resolution: CAMERA_RESOLUTION },
    publishDefaults: { simulcast: true },
    // The preview keeps its tracks when the stream ends: the creator can go live again at once.
    stopLocalTrackOnUnpublish: false,
  });
}

/** Publishes exactly `tracks` (camera and microphone) and unpublishes any other camera/mic track. */
async function syncTracks(room: Room, tracks: LocalTrack[]) {
  const published = [...room.localParticipant.trackPublications.values()].filter(
    (p) => p.source === Track.Source.Camera || p.source === Track.Source.Microphone,
  );
  for (const publication of published) {
    if (publication.track && !tracks.includes(publication.track)) await room.localParticipant.unpublishTrack(publication.track, false);
  }
  for (const track of tracks) {
    if (!published.some((p) => p.track === track)) await room.localParticipant.publishTrack(track);
  }
}

/**
 * The creator's LiveKit connection: connects with the token goLive returned, publishes the preview's
 * tracks (camera at 720p with simulcast), reports connecting / reconnecting / failed, and screen share.
 */
export function usePublisher(video: LocalVideoTrack | null, audio: LocalAudioTrack | null, onRoomClosed: () => void) {
  const roomRef = useRef<Room | null>(null);
  const [status, setStatus] = useState<LinkStatus>({ state: "idle" });
  const [screen, setScreen] = useState<LocalVideoTrack | null>(null);
  /** livekit-client has published at least one track: media reaches LiveKit (the heartbeat tells the server). */
  const [publishing, setPublishing] = useState(false);
  /** LiveKit's view of this connection (`ConnectionQuality`), for the studio's stream health. */
  const [quality, setQuality] = useState<Quality>("unknown");
  const onRoomClosedRef = useRef(onRoomClosed);
  useEffect(() => {
    onRoomClosedRef.current = onRoomClosed;
  }, [onRoomClosed]);

  const tracksRef = useRef<LocalTrack[]>([]);
  useEffect(() => {
    const tracks = [video, audio].filter((t): t is LocalVideoTrack | LocalAudioTrack => t !== null);
    tracksRef.current = tracks;
    const room = roomRef.current;
    if (room && room.state === ConnectionState.Connected) {
      syncTracks(room, tracks).catch((error: unknown) =>
        toast.error(`Couldn't publish your new device: ${describeConnectionError(error)}`),
      );
    }
  }, [video, audio]);

  const connect = useCallback(async (url: string, token: string) => {
    const previous = roomRef.current;
    roomRef.current = null;
    await previous?.disconnect(false);
    const room = createPublisherRoom();
    roomRef.current = room;
    const current = () => roomRef.current === room;
    setStatus({ state: "connecting", url });
    setScreen(null);
    setPublishing(false);
    setQuality("unknown");
    const syncPublishing = () => current() && setPublishing(room.localParticipant.trackPublications.size > 0);
    room
      .on(RoomEvent.ConnectionQualityChanged, (next, participant) => {
        if (current() && participant === room.localParticipant) setQuality(next);
      })
      .on(RoomEvent.ConnectionStateChanged, (state) => {
        const next = fromConnectionState(state, url);
        if (current() && next && (next.state !== "connected" || room.localParticipant.trackPublications.size > 0)) setStatus(next);
      })
      .on(RoomEvent.Disconnected, (reason) => {
        if (current()) setPublishing(false);
        if (!current() || reason === DisconnectReason.CLIENT_INITIATED) return;
        if (reason === DisconnectReason.ROOM_DELETED) return onRoomClosedRef.current();
        setStatus({ state: "failed", url, reason: `the connection dropped (${DisconnectReason[reason ?? 0] ?? "unknown reason"})` });
      })
      .on(RoomEvent.LocalTrackPublished, (pub: LocalTrackPublication) => {
        syncPublishing();
        if (current() && pub.source === Track.Source.ScreenShare && pub.track instanceof LocalVideoTrack) setScreen(pub.track);
      })
      .on(RoomEvent.LocalTrackUnpublished, (pub: LocalTrackPublication) => {
        syncPublishing();
        if (current() && pub.source === Track.Source.ScreenShare) setScreen(null);
      });
    try {
      await room.connect(url, token);
      await syncTracks(room, tracksRef.current);
      syncPublishing();
      if (current()) setStatus({ state: "connected", url });
    } catch (error) {
      if (!current() || isCancelled(error)) return;
      setStatus({ state: "failed", url, reason: describeConnectionError(error) });
      await room.disconnect(false);
    }
  }, []);

  const disconnect = useCallback(async () => {
    const room = roomRef.current;
    roomRef.current = null;
    setStatus({ state: "idle" });
    setScreen(null);
    setPublishing(false);
    await room?.disconnect(false);
  }, []);

  useEffect(() => () => void roomRef.current?.disconnect(false), []);

  const toggleScreenShare = useCallback(async () => {
    const room = roomRef.current;
    if (!room || room.state !== ConnectionState.Connected)
      return toast.error("Screen sharing starts once you're connected to the live server.");
    const on = room.localParticipant.isScreenShareEnabled;
    try {
      await room.localParticipant.setScreenShareEnabled(!on, { audio: true, selfBrowserSurface: "exclude" });
    } catch (error) {
      // Closing the browser's picker is a choice, not an error.
      if (error instanceof Error && error.name === "NotAllowedError") return;
      toast.error(`Couldn't share your screen: ${error instanceof Error ? error.message : String(error)}`);
    }
  }, []);

  return { status, screen, publishing, quality, connect, disconnect, toggleScreenShare };
}
