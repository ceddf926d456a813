/**
 * Which guest tiles a channel's player shows, in which order: the guests on stage (`stage.list`, in the
 * order they came on) merged with the `stage-` participants LiveKit shows in the room. The creator's tile
 * always comes first and is not part of this list.
 */

/** At most this many guests on stage at once (the server's `MAX_GUESTS_ON_STAGE`). */
export const MAX_STAGE_GUESTS = 3;

const STAGE_PREFIX = "stage-";

/** A guest's LiveKit identity (`stage-<userId>`): never the creator's, never a viewer's. */
export const isGuestIdentity = (identity: string) => identity.startsWith(STAGE_PREFIX);

/** The LiveKit identity the user has on any stage. */
export const guestIdentityOf = (userId: string) => `${STAGE_PREFIX}${userId}`;

export interface StageEntry {
  username: string;
  since: Date | string;
}

/** A `stage-` participant in the room, with what it publishes. */
export interface GuestParticipant<V, A> {
  identity: string;
  /** The guest's username (LiveKit's participant name, from their token). */
  name: string;
  video: V | null;
  audio: A | null;
}

export interface GuestTile<V, A> {
  key: string;
  username: string;
  identity: string | null;
  video: V | null;
  audio: A | null;
  /** In the room (LiveKit shows them), not only on the stage's list. */
  joined: boolean;
}

const time = (since: Date | string) => new Date(since).getTime();

/**
 * The guest tiles: every guest on the list (oldest first), with their media when they are in the room,
 * then participants the list does not know yet (it is refreshed now and then), by name. At most three.
 */
export function stageTiles<V, A>(
  list: readonly StageEntry[] | undefined,
  participants: readonly GuestParticipant<V, A>[],
): GuestTile<V, A>[] {
  const inRoom = participants.filter((p) => isGuestIdentity(p.identity));
  const byName = new Map(inRoom.map((p) => [p.name, p]));
  const listed = [...(list ?? [])].sort((a, b) => time(a.since) - time(b.since) || a.username.localeCompare(b.username));
  const tiles: GuestTile<V, A>[] = listed.map(({ username }) => {
    const participant = byName.get(username);
    return {
      key: username,
      username,
      identity: participant?.identity ?? null,
      video: participant?.video ?? null,
      audio: participant?.audio ?? null,
      joined: participant !== undefined,
    };
  });
  const known = new Set(listed.map((entry) => entry.username));
  const extra = inRoom
    .filter((p) => !known.has(p.name))
    .sort((a, b) => a.name.localeCompare(b.name) || a.identity.localeCompare(b.identity))
    .map((p) => ({ key: p.identity, username: p.name || "Guest", identity: p.identity, video: p.video, audio: p.audio, joined: true }));
  return [...tiles, ...extra].slice(0, MAX_STAGE_GUESTS);
}
