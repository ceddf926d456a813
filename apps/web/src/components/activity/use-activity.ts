import { useEffect, useRef, useState } from "react";
import type { ActivityEvent } from "@onair/api";
import { trpc } from "../../lib/trpc";
import { mergeActivity } from "./activity-list";

const ALERT_MS = 5_000;

/**
 * The creator's `stream.onActivity`: follows and gifts, newest first (the latest few arrive on
 * connecting), and `alert`, the newest one that happened while the page was open, for a few seconds.
 * A burst (hundreds of gifts a second) renders once per frame, not once per event.
 */
export function useActivity() {
  const client = trpc.useUtils().client;
  const [events, setEvents] = useState<ActivityEvent[]>([]);
  const [alert, setAlert] = useState<ActivityEvent | null>(null);
  /** The stream is open: what happens from now on arrives (and alerts). */
  const [subscribed, setSubscribed] = useState(false);
  const buffer = useRef<ActivityEvent[]>([]);

  useEffect(() => {
    let frame: number | null = null;
    const flush = () => {
      frame = null;
      const events = buffer.current;
      buffer.current = [];
      setEvents((current) => mergeActivity(current, events));
      const newest = events.findLast((event) => !event.recent);
      if (newest) setAlert(newest);
    };
    const subscription = client.stream.onActivity.subscribe(undefined, {
      onStarted: () => setSubscribed(true),
      onConnectionStateChange: (state) => setSubscribed(state.state === "pending"),
      onData: (event) => {
        buffer.current.push(event);
        frame ??= requestAnimationFrame(flush);
      },
    });
    return () => {
      setSubscribed(false);
      subscription.unsubscribe();
      if (frame !== null) cancelAnimationFrame(frame);
      buffer.current = [];
    };
  }, [client]);

  useEffect(() => {
    if (!alert) return;
    const timer = setTimeout(() => setAlert(null), ALERT_MS);
    return () => clearTimeout(timer);
  }, [alert]);

  return { events, alert, subscribed };
}

/** "bob followed you" / "carol sent a Rose (5 coins): gg" */
export function describeActivity(event: ActivityEvent): string {
  if (event.type === "follow") return `${event.username} followed you`;
  const coins = `${event.price} ${event.price === 1 ? "coin" : "coins"}`;
  return `${event.username} sent a ${event.giftName} (${coins})${event.message ? `: ${event.message}` : ""}`;
}
