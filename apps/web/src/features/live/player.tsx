import { Ban, FlaskConical, Maximize, Minimize, Users, Volume2, VolumeX, WifiOff } from "lucide-react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { Badge, LiveBadge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { errorCode, errorMessage } from "../../lib/errors";
import { cn, formatCount } from "../../lib/utils";
import type { MediaState } from "./media-state";
import { AudioSink, FailedMessage, NoMediaMessage, StageMessage, StartingMessage, useFullscreen } from "./player-parts";
import { useMediaState } from "./use-media-state";
import { useViewerRoom } from "./use-viewer-room";
import { VideoView } from "./video-view";
import { useViewer } from "../../lib/viewer";
import { StageGrid, useStageTiles } from "../stage/stage-grid";
import { guestIdentityOf } from "../stage/stage-tiles";

export interface LivePlayerProps {
  /** `stream.token`, requested while this module was loading. */
  token: { data?: { token: string; wsUrl: string } | undefined; error: unknown; isFetching: boolean; refetch: () => unknown };
  /** The channel (its username): its stage's guests show beside the creator. */
  username: string;
  name: string;
  title: string;
  viewerCount: number;
  /** The creator's media flows (`isPublishing`): LIVE; until then "starting". */
  publishing: boolean;
  /** A development broadcast without video (`goLive({ withoutVideo })`): nothing will come, and it says so. */
  withoutVideo: boolean;
  /** The creator watching their own channel: starts muted (no echo). */
  own: boolean;
  /** LiveKit closed the room: the broadcast ended. */
  onEnded: () => void;
  /** Told the contract's `data-media-state` whenever it changes (the channel page's player element carries it). */
  onMediaState: (state: MediaState) => void;
}

/** A token this close to its expiry (they live 15 minutes) is renewed before a Retry. */
const RENEW_WITHIN_MS = 60_000;

function expiresSoon(token: string): boolean {
  try {
    const payload = JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as { exp?: number };
    return payload.exp === undefined || payload.exp * 1000 - Date.now() < RENEW_WITHIN_MS;
  } catch {
    return true;
  }
}

/** The viewer's player: subscribe-only LiveKit, "click to unmute", fullscreen. */
export default function LivePlayer({
  token,
  username,
  name,
  title,
  viewerCount,
  publishing,
  withoutVideo,
  own,
  onEnded,
  onMediaState,
}: LivePlayerProps) {
  const frame = useRef<HTMLDivElement>(null);
  const [attempt, setAttempt] = useState(0);
  // A refused token (blocked while watching) leaves the room too.
  const connection = token.error ? undefined : token.data;
  const { status, tracks, canPlayAudio, startAudio, joinedEarly } = useViewerRoom(connection, onEnded, attempt);
  const [videoPlaying, setVideoPlaying] = useState(false);
  const [muted, setMuted] = useState(own);
  const fullscreen = useFullscreen(frame);
  const guests = useStageTiles(username, tracks.guests);
  const me = useViewer().me?.id;
  // The creator's sound decides the player's state; any sound (a guest's too) needs the unmute click.
  const hasAudio = tracks.audio.length > 0;
  const anyAudio = hasAudio || guests.some((guest) => guest.audio !== null);
  const blocked = anyAudio && !muted && !canPlayAudio;
  const media = useMediaState({
    link: status.state,
    publishing,
    videoPlaying: videoPlaying && tracks.main !== null,
    audioArrived: hasAudio,
    attempt,
  });
  const mediaState: MediaState = token.error ? "unreachable" : media.state;
  useEffect(() => onMediaState(mediaState), [mediaState, onMediaState]);

  /** Connects again: with a fresh token when this one is about to expire (one connection either way). */
  function retry() {
    if (!connection || expiresSoon(connection.token)) void token.refetch();
    else setAttempt((n) => n + 1);
    // The Retry button goes away with the message: keep keyboard focus in the player.
    frame.current?.focus();
  }

  function unmute() {
    setMuted(false);
    void startAudio();
  }

  let overlay = null;
  if (token.error) {
    const code = errorCode(token.error);
    overlay = (
      <StageMessage
        icon={code === "FORBIDDEN" ? <Ban /> : <WifiOff />}
        title={code === "FORBIDDEN" ? "You can't watch this stream" : "The stream isn't available"}
        testId="player-unavailable"
      >
        <p>{errorMessage(token.error)}</p>
        {code !== "FORBIDDEN" && (
          <Button variant="secondary" size="sm" pending={token.isFetching} onClick={() => void token.refetch()}>
            Try again
          </Button>
        )}
      </StageMessage>
    );
  } else if (withoutVideo && !publishing) {
    overlay = (
      <StageMessage icon={<FlaskConical />} title={`${name} is live without video`} testId="player-without-video">
        <p>A development broadcast: no picture, but chat and gifts work.</p>
      </StageMessage>
    );
  } else if (status.state === "failed") {
    // This viewer's own connection failed, live or starting: theirs to know, with a way to try again.
    overlay = (
      <FailedMessage
        name={name}
        url={status.url}
        reason={status.reason}
        publishing={publishing}
        retrying={token.isFetching}
        onRetry={retry}
      />
    );
  } else if (media.problem === "no-media") {
    overlay = (
      <NoMediaMessage
        name={name}
        seconds={Math.max(1, Math.round(media.windows.noMediaMs / 1000))}
        retrying={token.isFetching}
        onRetry={retry}
      />
    );
  } else if (!publishing) {
    // Nothing to receive yet: say what the creator is doing (and when it has been a while).
    overlay = <StartingMessage name={name} publishing={false} stillStarting={media.stillStarting} />;
  } else if (status.state === "reconnecting") {
    overlay = (
      <StageMessage icon={<WifiOff />} title="Reconnecting…" testId="player-reconnecting">
        <p>Your connection dropped. Hang on, we're getting the video back.</p>
      </StageMessage>
    );
  } else if (!tracks.main) {
    overlay = <StartingMessage name={name} publishing />;
  }

  const creator = (
    <>
      <VideoView track={tracks.main} label={`${name}'s live video`} testId="player-video" onPlaying={setVideoPlaying} />
      {tracks.corner && (
        <div className="absolute right-3 bottom-14 w-1/4 overflow-hidden rounded-md ring-1 ring-white/20">
          <VideoView track={tracks.corner} label={`${name}'s camera`} className="aspect-video" />
        </div>
      )}
    </>
  );

  return (
    <div
      ref={frame}
      data-testid="live-player"
      data-state={token.error ? "unavailable" : status.state}
      data-media-state={mediaState}
      tabIndex={-1}
      data-join={joinedEarly ? "early" : "on-render"}
      data-stage-guests={guests.length}
      className={cn(
        "group @container relative aspect-video w-full overflow-hidden rounded-xl bg-black ring-1 ring-border outline-none [&:fullscreen]:rounded-none [&:fullscreen]:ring-0",
        // A phone stacks the creator and the guests: the frame grows with them.
        guests.length > 0 && "max-sm:aspect-auto max-sm:pt-10 max-sm:pb-12",
      )}
    >
      {guests.length === 0 ? (
        <>
          {creator}
          {overlay}
        </>
      ) : (
        // Guests on stage: the creator's tile first, and what the player says about the creator's video inside it.
        <StageGrid
          channel={username}
          creatorName={name}
          tiles={guests}
          own={own}
          muted={muted || blocked}
          selfIdentity={me ? guestIdentityOf(me) : null}
          connected={status.state === "connected"}
        >
          {creator}
          {overlay}
        </StageGrid>
      )}
      {tracks.audio.map((track) => (
        <AudioSink key={track.sid} track={track} muted={muted} />
      ))}

      <div className="pointer-events-none absolute inset-x-0 top-0 flex items-center gap-2 bg-gradient-to-b from-black/70 to-transparent p-3">
        {publishing ? (
          <LiveBadge />
        ) : withoutVideo ? (
          <Badge variant="offline" data-testid="without-video-badge">
            No video · dev
          </Badge>
        ) : (
          <Badge variant="offline" data-testid="starting-badge">
            Starting
          </Badge>
        )}
        <span
          className="inline-flex items-center gap-1 rounded bg-black/60 px-1.5 py-0.5 text-xs font-semibold text-white"
          data-testid="player-viewers"
        >
          <Users className="size-3.5" aria-hidden /> {formatCount(viewerCount)}
          <span className="sr-only">watching</span>
        </span>
        {fullscreen.isFullscreen && (
          <span className="ml-2 truncate text-sm font-semibold text-white">
            {title} · {name}
          </span>
        )}
      </div>

      {blocked && !overlay && (
        <button
          type="button"
          onClick={unmute}
          className="absolute inset-0 flex cursor-pointer items-center justify-center bg-black/30 outline-none focus-visible:ring-4 focus-visible:ring-ring focus-visible:ring-inset"
        >
          <span className="inline-flex items-center gap-2 rounded-full bg-white px-5 py-3 text-sm font-bold text-black shadow-xl">
            <VolumeX className="size-5" aria-hidden /> Click to unmute
          </span>
        </button>
      )}

      <div
        className={cn(
          "absolute inset-x-0 bottom-0 flex items-center justify-between gap-2 bg-gradient-to-t from-black/80 to-transparent p-2 transition-opacity sm:p-3",
          "opacity-100 sm:opacity-0 sm:group-hover:opacity-100 sm:group-focus-within:opacity-100",
        )}
      >
        <PlayerButton
          label={muted || blocked ? "Unmute" : "Mute"}
          onClick={() => (muted || blocked ? unmute() : setMuted(true))}
          disabled={!anyAudio}
        >
          {muted || blocked ? <VolumeX /> : <Volume2 />}
        </PlayerButton>
        <PlayerButton label={fullscreen.isFullscreen ? "Exit fullscreen" : "Fullscreen"} onClick={fullscreen.toggle}>
          {fullscreen.isFullscreen ? <Minimize /> : <Maximize />}
        </PlayerButton>
      </div>
    </div>
  );
}

function PlayerButton({
  label,
  onClick,
  disabled,
  children,
}: {
  label: string;
  onClick: () => void;
  disabled?: boolean;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      onClick={onClick}
      disabled={disabled}
      className="flex size-10 cursor-pointer items-center justify-center rounded-md text-white outline-none hover:bg-white/15 focus-visible:ring-2 focus-visible:ring-ring disabled:cursor-not-allowed disabled:opacity-40 [&_svg]:size-5"
    >
      {children}
    </button>
  );
}
