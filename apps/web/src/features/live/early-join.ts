import { Room, type RoomOptions } from "livekit-client";

/**
 * A viewer's room: adaptive stream + dynacast (LiveKit sends the simulcast layer that fits the player),
 * and LiveKit's classic signalling (`/rtc`, a subscriber peer connection the server offers to): the
 * single-peer-connection mode builds a publishing offer before it even opens the WebSocket, which a
 * viewer never uses (it cost 150–350 ms of the join here).
 */
export const VIEWER_ROOM_OPTIONS: Partial<RoomOptions> = { adaptiveStream: true, dynacast: true, singlePeerConnection: false };

export interface Joining {
  room: Room;
  /** `room.connect`'s promise: it may have settled before the player looks. */
  connected: Promise<void>;
}

/** An early join nobody claimed (the page went elsewhere first) is left after this. */
const UNCLAIMED_MS = 30_000;
const early = new Map<string, Joining>();

/**
 * Joins LiveKit with a token the page's HTML carried (join-now.ts), before the app has started: its
 * set-up (the peer connection and the offer sent with the join) overlaps the app's start and first
 * render. The player claims the room by its token (use-viewer-room.ts).
 */
export function joinEarly({ wsUrl, token }: { wsUrl: string; token: string }) {
  if (early.has(token)) return;
  const room = new Room(VIEWER_ROOM_OPTIONS);
  const connected = room.connect(wsUrl, token);
  connected.catch(() => {}); // the player reports it, if it claims the room
  early.set(token, { room, connected });
  setTimeout(() => {
    if (early.get(token)?.room !== room) return;
    early.delete(token);
    void room.disconnect();
  }, UNCLAIMED_MS);
}

/** The early join for this token, once: the caller owns the room from here. */
export function claimEarlyJoin(token: string): Joining | undefined {
  const joining = early.get(token);
  early.delete(token);
  return joining;
}
