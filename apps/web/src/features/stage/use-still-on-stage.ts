import { useCallback, useEffect, useRef, type Dispatch } from "react";
import { toast } from "../../lib/toast";
import { trpc } from "../../lib/trpc";
import type { GuestAction, GuestState } from "./stage-state";

/**
 * Tells a guest they are off `channel`'s stage; `why` as the server says it (`stage.onInvite`'s
 * `removed`), when known. One toast per channel: whichever learns it last (the event, the check,
 * LiveKit) updates the same toast, so the server's reason shows even when a check got there first.
 */
export function toastOffStage(channel: string, why?: "creator" | "restricted" | "ended") {
  toast.error(offStageMessage(channel, why), { id: `off-stage-${channel}` });
}

function offStageMessage(channel: string, why?: "creator" | "restricted" | "ended"): string {
  if (why === "creator") return `You're off ${channel}'s stage: ${channel} took you off`;
  if (why === "restricted") return `You're off ${channel}'s stage: you can't take part in this channel right now`;
  if (why === "ended") return `You're off ${channel}'s stage: the stream ended`;
  return `You're off ${channel}'s stage: the creator took you off, or the stream ended`;
}

/** A guest checks this often that they are still on the stage (`stage.onInvite`'s `removed` and LiveKit's disconnect say so first). */
const CHECK_EVERY_MS = 5_000;

/**
 * While on a stage: asks `stage.list` now and then (and at once when `check()` is called: a withdrawal,
 * a dropped connection) whether the user is still on it; when not (the creator took them off, the stream
 * ended), the page leaves the stage and says so. Only an answer asked after the accept counts.
 */
export function useStillOnStage(state: GuestState, username: string, dispatch: Dispatch<GuestAction>) {
  const client = trpc.useUtils().client;
  const onStage = state.stage?.phase === "on" ? state.stage : null;
  const channel = onStage?.channel ?? null;
  const since = onStage?.since ?? 0;
  const checkRef = useRef<() => void>(() => {});

  useEffect(() => {
    if (!channel) return;
    let stopped = false;
    const check = async () => {
      const asked = Date.now();
      const guests = await client.stage.list.query({ username: channel }).catch(() => null);
      if (stopped || guests === null || asked < since || guests.some((guest) => guest.username === username)) return;
      stopped = true;
      dispatch({ type: "off", channel });
      toastOffStage(channel);
    };
    checkRef.current = () => void check();
    const timer = setInterval(checkRef.current, CHECK_EVERY_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
      checkRef.current = () => {};
    };
  }, [channel, since, username, client, dispatch]);

  return useCallback(() => checkRef.current(), []);
}
