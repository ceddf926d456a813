import type { RemoteAudioTrack, RemoteVideoTrack } from "livekit-client";
import { Loader2, UserMinus, VideoOff } from "lucide-react";
import { useEffect, useMemo, useRef, type ReactNode } from "react";
import { Avatar } from "../../components/ui/avatar";
import { cn } from "../../lib/utils";
import { trpc } from "../../lib/trpc";
import { AudioSink } from "../live/player-parts";
import { VideoView } from "../live/video-view";
import { useRemoveGuest } from "./use-stage-actions";
import { stageTiles, type GuestParticipant, type GuestTile } from "./stage-tiles";

type Tile = GuestTile<RemoteVideoTrack, RemoteAudioTrack>;

/** The list is refreshed this often while watching (and whenever someone joins or leaves the room). */
const LIST_REFRESH_MS = 10_000;

/** The guest tiles of a channel's player: `stage.list` merged with the room's `stage-` participants. */
export function useStageTiles(channel: string, participants: GuestParticipant<RemoteVideoTrack, RemoteAudioTrack>[]): Tile[] {
  const list = trpc.stage.list.useQuery({ username: channel }, { refetchInterval: LIST_REFRESH_MS });
  const inRoom = participants.map((p) => p.identity).join(",");
  const { refetch } = list;
  const seen = useRef(inRoom);
  useEffect(() => {
    // Someone joined or left the room: the list catches up now, not at its next refresh.
    if (seen.current === inRoom) return;
    seen.current = inRoom;
    void refetch();
  }, [inRoom, refetch]);
  return useMemo(() => stageTiles(list.data, participants), [list.data, participants]);
}

interface StageGridProps {
  channel: string;
  creatorName: string;
  tiles: Tile[];
  /** The creator watching their own channel: each guest tile gets Remove. */
  own: boolean;
  /** The viewer's choice for sound; their own voice (a guest watching) never plays back. */
  muted: boolean;
  selfIdentity: string | null;
  /** The viewer's connection to the room is up: a guest's tile without video is "joining", not "waiting". */
  connected: boolean;
  /** The creator's picture (and what the player says about it). */
  children: ReactNode;
}

/** The creator's tile first, then each guest's; side by side (two by two with three guests), stacked on a phone. */
export function StageGrid({ channel, creatorName, tiles, own, muted, selfIdentity, connected, children }: StageGridProps) {
  const square = tiles.length >= 2;
  return (
    <ul
      aria-label={`On stage: ${[creatorName, ...tiles.map((t) => t.username)].join(", ")}`}
      data-testid="stage-grid"
      data-guests={tiles.length}
      className={cn(
        "grid size-full grid-cols-1 content-center gap-1 bg-black p-1 sm:grid-cols-2",
        // Two by two: the rows share the player's height.
        square && "sm:grid-rows-2 sm:content-stretch",
      )}
    >
      <li
        className={cn("@container relative aspect-video overflow-hidden rounded-md bg-black", square && "sm:aspect-auto")}
        data-testid="stage-tile"
        data-role="creator"
      >
        {children}
        <TileName name={creatorName} />
      </li>
      {tiles.map((tile) => (
        <GuestTileView
          key={tile.key}
          channel={channel}
          tile={tile}
          own={own}
          muted={muted || tile.identity === selfIdentity}
          connected={connected}
          square={square}
        />
      ))}
    </ul>
  );
}

function TileName({ name, guest }: { name: string; guest?: boolean }) {
  return (
    <span className="pointer-events-none absolute bottom-1.5 left-1.5 z-10 max-w-[70%] truncate rounded bg-black/70 px-1.5 py-0.5 text-xs font-semibold text-white">
      {name}
      {guest && <span className="font-normal text-white/70"> · guest</span>}
    </span>
  );
}

interface GuestTileProps {
  channel: string;
  tile: Tile;
  own: boolean;
  muted: boolean;
  connected: boolean;
  square: boolean;
}

function GuestTileView({ channel, tile, own, muted, connected, square }: GuestTileProps) {
  return (
    <li
      className={cn("relative aspect-video overflow-hidden rounded-md bg-[#15151c]", square && "sm:aspect-auto")}
      data-testid="stage-tile"
      data-role="guest"
      data-username={tile.username}
      data-joined={tile.joined}
    >
      {tile.video ? (
        <VideoView track={tile.video} label={`${tile.username}'s camera`} testId="stage-guest-video" className="object-cover" />
      ) : (
        <div className="flex size-full flex-col items-center justify-center gap-2 p-2 text-center text-xs text-white/70">
          <Avatar name={tile.username} className="size-10 text-base sm:size-12" />
          <span className="inline-flex items-center gap-1.5" role="status">
            {tile.joined ? (
              <>
                <VideoOff className="size-3.5" aria-hidden /> Camera off
              </>
            ) : (
              <>
                <Loader2 className="size-3.5 animate-spin" aria-hidden /> {connected ? "Joining…" : "Waiting for video…"}
              </>
            )}
          </span>
        </div>
      )}
      {tile.audio && <AudioSink track={tile.audio} muted={muted} />}
      <TileName name={tile.username} guest />
      {own && <RemoveGuest channel={channel} username={tile.username} />}
    </li>
  );
}

/** The creator takes a guest off the stage: LiveKit withdraws their right at once. */
function RemoveGuest({ channel, username }: { channel: string; username: string }) {
  const remove = useRemoveGuest(channel);
  return (
    <button
      type="button"
      onClick={() => remove.mutate({ username })}
      disabled={remove.isPending}
      aria-label={`Remove ${username} from stage`}
      title={`Remove ${username} from stage`}
      className="absolute top-1.5 right-1.5 z-10 inline-flex h-8 cursor-pointer items-center gap-1.5 rounded-md bg-black/70 px-2 text-xs font-semibold text-white outline-none hover:bg-red-700 focus-visible:ring-2 focus-visible:ring-ring disabled:cursor-wait disabled:opacity-70"
    >
      {remove.isPending ? <Loader2 className="size-4 animate-spin" aria-hidden /> : <UserMinus className="size-4" aria-hidden />}
      <span className="max-sm:sr-only">Remove</span>
    </button>
  );
}
