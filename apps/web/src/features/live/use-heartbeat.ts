import { useEffect, useRef } from "react";
import { trpc } from "../../lib/trpc";

export const HEARTBEAT_MS = 15_000;
const FIRST_BEAT_MS = 3_000;

/** The goodbye the server understands: a tRPC POST mutation, same origin, cookies included. */
export function sendLeaveBeacon(): boolean {
  return navigator.sendBeacon("/trpc/stream.leave", new Blob(["{}"], { type: "application/json" }));
}

// A leave scheduled by an unmount; a remount right away (React StrictMode) cancels it.
let pendingLeave: ReturnType<typeof setTimeout> | undefined;

/**
 * While live: a heartbeat every 15 s (the server ends broadcasts silent for 45 s), a beacon on
 * `pagehide` (tab closed or reloaded: the server ends the broadcast 15 s later unless this page comes
 * back), and `stream.leave` when the creator navigates elsewhere in the app.
 * `publishing` (livekit-client has published tracks) goes with every beat, and a change is sent at once.
 * `onGone` runs when the server says the broadcast is no longer live.
 */
export function useHeartbeat(active: boolean, publishing: boolean, onGone: () => void) {
  const client = trpc.useUtils().client;
  const onGoneRef = useRef(onGone);
  const activeRef = useRef(active);
  const publishingRef = useRef(publishing);
  useEffect(() => {
    onGoneRef.current = onGone;
    activeRef.current = active;
    publishingRef.current = publishing;
  });

  useEffect(() => {
    if (!active) return;
    const beat = () => {
      client.stream.heartbeat.mutate({ publishing: publishingRef.current }).then(
        ({ isLive }) => !isLive && onGoneRef.current(),
        () => {}, // a missed beat is fine: the next one follows, and the server allows 45 s
      );
    };
    // Soon after (re)connecting too: it cancels a "leaving" left by the reload that brought us here.
    const first = setTimeout(beat, FIRST_BEAT_MS);
    const timer = setInterval(beat, HEARTBEAT_MS);
    window.addEventListener("pagehide", sendLeaveBeacon);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
      window.removeEventListener("pagehide", sendLeaveBeacon);
    };
  }, [active, client]);

  // The moment media starts or stops flowing, not at the next beat: viewers' pages switch between starting and live.
  useEffect(() => {
    if (!active) return;
    client.stream.heartbeat.mutate({ publishing }).then(
      ({ isLive }) => !isLive && onGoneRef.current(),
      () => {},
    );
  }, [active, publishing, client]);

  useEffect(() => {
    clearTimeout(pendingLeave);
    return () => {
      if (!activeRef.current) return;
      pendingLeave = setTimeout(() => void client.stream.leave.mutate().catch(() => {}), 0);
    };
  }, [client]);
}
