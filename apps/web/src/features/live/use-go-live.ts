import type { LocalAudioTrack, LocalVideoTrack } from "livekit-client";
import { useCallback, useEffect, useRef, useState } from "react";
import { toast } from "../../lib/toast";
import { errorMessage } from "../../lib/errors";
import { trpc } from "../../lib/trpc";
import { useHeartbeat } from "./use-heartbeat";
import { usePublisher } from "./use-publisher";

export type Phase =
  | { kind: "preview" }
  | { kind: "starting"; resuming: boolean }
  | { kind: "live"; broadcastId: string; roomName: string; startedAt: Date; identity: string; withoutVideo: boolean }
  | { kind: "ended"; startedAt: Date; endedAt: Date; byCreator: boolean };

/**
 * Going live and staying live: one `stream.goLive` round trip returns the publisher token, then the
 * LiveKit connection; heartbeats and the leave beacon while live; `stream.end` to finish.
 * `resume`: the stream was already live when the page loaded (a reload) — pick it up again.
 */
export function useGoLive(
  video: LocalVideoTrack | null,
  audio: LocalAudioTrack | null,
  resume: boolean,
  /** The broadcast being resumed went without video (development only): it stays so. */
  resumeWithoutVideo = false,
) {
  const utils = trpc.useUtils();
  const [phase, setPhase] = useState<Phase>(resume ? { kind: "starting", resuming: true } : { kind: "preview" });

  // While stream.end is in flight, the ended status pushed to this page is the creator's own doing.
  const ending = useRef(false);
  const finish = useCallback((byCreator: boolean) => {
    const mine = byCreator || ending.current;
    setPhase((p) => (p.kind === "live" ? { kind: "ended", startedAt: p.startedAt, endedAt: new Date(), byCreator: mine } : p));
  }, []);
  const onRoomClosed = useCallback(() => finish(false), [finish]);
  const publisher = usePublisher(video, audio, onRoomClosed);
  const { connect, disconnect } = publisher;

  const goLive = trpc.stream.goLive.useMutation();
  const { mutateAsync: goLiveAsync } = goLive;
  const start = useCallback(
    async (title?: string, resuming = false, withoutVideo = false) => {
      setPhase((p) => (p.kind === "live" ? p : { kind: "starting", resuming }));
      try {
        const live = await goLiveAsync(title || withoutVideo ? { title, withoutVideo: withoutVideo || undefined } : undefined);
        utils.stream.mine.setData(undefined, live.stream);
        setPhase({
          kind: "live",
          broadcastId: live.broadcastId,
          roomName: live.roomName,
          startedAt: live.startedAt,
          identity: live.identity,
          withoutVideo: live.withoutVideo,
        });
        // A development broadcast without video (no LiveKit to reach): chat, gifts and activity only.
        if (!live.withoutVideo) await connect(live.wsUrl, live.token);
      } catch (error) {
        setPhase((p) => (p.kind === "starting" ? { kind: "preview" } : p));
        toast.error(`Couldn't go live: ${errorMessage(error)}`);
      }
    },
    [connect, goLiveAsync, utils],
  );

  // A reload while live comes back live: goLive resumes the same broadcast with a fresh token.
  const resumed = useRef(false);
  useEffect(() => {
    if (!resume || resumed.current) return;
    resumed.current = true;
    void start(undefined, true, resumeWithoutVideo);
  }, [resume, resumeWithoutVideo, start]);

  const end = trpc.stream.end.useMutation({
    onMutate: () => {
      ending.current = true;
    },
    onSettled: () => {
      ending.current = false;
    },
    onSuccess: ({ stream }) => {
      utils.stream.mine.setData(undefined, stream);
      finish(true);
      void disconnect();
    },
    onError: (error) => toast.error(`Couldn't end the stream: ${errorMessage(error)}. Try again.`),
  });

  const live = phase.kind === "live";
  const onGone = useCallback(() => {
    finish(false);
    void disconnect();
  }, [finish, disconnect]);
  useHeartbeat(live, publisher.publishing, onGone);

  useEffect(() => {
    if (phase.kind === "ended" && !phase.byCreator) void utils.stream.mine.invalidate();
  }, [phase, utils]);

  return {
    phase,
    publisher,
    /** Going live (from the preview) with the title typed there. */
    start: (title: string) => void start(title.trim() || undefined),
    /** Development only, LiveKit unreachable: go live without video, to try chat, gifts and the activity feed. */
    startWithoutVideo: (title: string) => void start(title.trim() || undefined, false, true),
    /** After a failed connection: a fresh token from goLive, then connect again. */
    retry: () => void start(undefined, true),
    retrying: goLive.isPending,
    end: () => end.mutate(),
    ending: end.isPending,
    /** The broadcast ended elsewhere (stream.onStatus said so). */
    markEnded: onGone,
    backToPreview: () => setPhase({ kind: "preview" }),
  };
}
