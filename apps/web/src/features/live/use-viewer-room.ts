import { DisconnectReason, RemoteAudioTrack, RemoteVideoTrack, Room, RoomEvent, Track, type RemoteParticipant } from "livekit-client";
import { useCallback, useEffect, useRef, useState } from "react";
import { describeConnectionError, fromConnectionState, isCancelled, type LinkStatus } from "./connection";
import { claimEarlyJoin, VIEWER_ROOM_OPTIONS } from "./early-join";
import { isGuestIdentity, type GuestParticipant } from "../stage/stage-tiles";

export interface ViewerTracks {
  /** The main picture: the screen share when there is one, else the camera. */
  main: RemoteVideoTrack | null;
  /** The camera in a corner while the screen is shared. */
  corner: RemoteVideoTrack | null;
  /** The creator's sound (a guest's plays from their tile). */
  audio: RemoteAudioTrack[];
  /** Guests on stage in the room (`stage-` identities), with their camera and microphone. */
  guests: GuestParticipant<RemoteVideoTrack, RemoteAudioTrack>[];
}

const none: ViewerTracks = { main: null, corner: null, audio: [], guests: [] };

function guestOf(participant: RemoteParticipant): GuestParticipant<RemoteVideoTrack, RemoteAudioTrack> {
  let video: RemoteVideoTrack | null = null;
  let audio: RemoteAudioTrack | null = null;
  for (const pub of participant.trackPublications.values()) {
    if (pub.track instanceof RemoteAudioTrack) audio ??= pub.track;
    if (pub.track instanceof RemoteVideoTrack && !pub.isMuted && pub.source === Track.Source.Camera) video ??= pub.track;
  }
  return { identity: participant.identity, name: participant.name ?? "", video, audio };
}

function tracksOf(room: Room): ViewerTracks {
  let screen: RemoteVideoTrack | null = null;
  let camera: RemoteVideoTrack | null = null;
  const audio: RemoteAudioTrack[] = [];
  const guests: ViewerTracks["guests"] = [];
  for (const participant of room.remoteParticipants.values()) {
    // A guest's tracks never take the creator's place.
    if (isGuestIdentity(participant.identity)) {
      guests.push(guestOf(participant));
      continue;
    }
    for (const pub of participant.trackPublications.values()) {
      const track = pub.track;
      if (track instanceof RemoteAudioTrack) audio.push(track);
      if (!(track instanceof RemoteVideoTrack) || pub.isMuted) continue;
      if (pub.source === Track.Source.ScreenShare) screen ??= track;
      else camera ??= track;
    }
  }
  return { main: screen ?? camera, corner: screen ? camera : null, audio, guests };
}

/**
 * A subscribe-only LiveKit connection for watching: the one the page started early (early-join.ts) for
 * this token, or a new one. `onEnded` runs when the server deletes the room.
 */
export function useViewerRoom(connection: { wsUrl: string; token: string } | undefined, onEnded: () => void, attempt = 0) {
  const [status, setStatus] = useState<LinkStatus>({ state: "idle" });
  const [tracks, setTracks] = useState<ViewerTracks>(none);
  const [canPlayAudio, setCanPlayAudio] = useState(true);
  /** This room was joined before the player rendered (early-join.ts). */
  const [joinedEarly, setJoinedEarly] = useState(false);
  const roomRef = useRef<Room | null>(null);
  const onEndedRef = useRef(onEnded);
  useEffect(() => {
    onEndedRef.current = onEnded;
  }, [onEnded]);

  useEffect(() => {
    if (!connection) return;
    const { wsUrl: url, token } = connection;
    // A Retry (attempt > 0) connects afresh, never with the room that failed.
    const early = attempt === 0 ? claimEarlyJoin(token) : undefined;
    const room = early?.room ?? new Room(VIEWER_ROOM_OPTIONS);
    roomRef.current = room;
    let active = true;
    const refresh = () => active && setTracks(tracksOf(room));
    room
      .on(RoomEvent.TrackSubscribed, refresh)
      .on(RoomEvent.TrackUnsubscribed, refresh)
      .on(RoomEvent.TrackMuted, refresh)
      .on(RoomEvent.TrackUnmuted, refresh)
      .on(RoomEvent.ParticipantConnected, refresh)
      .on(RoomEvent.ParticipantDisconnected, refresh)
      .on(RoomEvent.ParticipantNameChanged, refresh)
      .on(RoomEvent.AudioPlaybackStatusChanged, () => active && setCanPlayAudio(room.canPlaybackAudio))
      .on(RoomEvent.ConnectionStateChanged, (state) => {
        const next = fromConnectionState(state, url);
        if (active && next) setStatus(next);
      })
      .on(RoomEvent.Disconnected, (reason) => {
        if (!active || reason === DisconnectReason.CLIENT_INITIATED) return;
        if (reason === DisconnectReason.ROOM_DELETED) return onEndedRef.current();
        setStatus({ state: "failed", url, reason: `the connection dropped (${DisconnectReason[reason ?? 0] ?? "unknown reason"})` });
      });
    // An early join may be under way (or done) already: take up its state, then its outcome.
    setJoinedEarly(early !== undefined);
    setStatus(fromConnectionState(room.state, url) ?? { state: "connecting", url });
    setCanPlayAudio(room.canPlaybackAudio);
    refresh();
    (early?.connected ?? room.connect(url, token)).then(
      () => {
        if (!active) return;
        setStatus({ state: "connected", url });
        refresh();
      },
      (error: unknown) => {
        if (active && !isCancelled(error)) setStatus({ state: "failed", url, reason: describeConnectionError(error) });
      },
    );
    return () => {
      active = false;
      roomRef.current = null;
      setTracks(none);
      void room.disconnect();
    };
  }, [connection, attempt]);

  /** Call from a click: autoplay rules let sound start only after the viewer interacts. */
  const startAudio = useCallback(async () => {
    await roomRef.current?.startAudio();
    setCanPlayAudio(roomRef.current?.canPlaybackAudio ?? true);
  }, []);

  return { status, tracks, canPlayAudio, startAudio, joinedEarly };
}
