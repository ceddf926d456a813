import { useEffect, useState } from "react";
import type { ActivityEvent } from "@onair/api";
import { trpc } from "../../lib/trpc";

const KEEP = 30;
const ALERT_MS = 5_000;

/**
 * The creator's `stream.onActivity`: follows and gifts, newest first (the latest few arrive on
 * connecting), and `alert`, the newest one that happened while the page was open, for a few seconds.
 */
export function useActivity() {
  const client = trpc.useUtils().client;
  const [events, setEvents] = useState<ActivityEvent[]>([]);
  const [alert, setAlert] = useState<ActivityEvent | null>(null);
  /** The stream is open: what happens from now on arrives (and alerts). */
  const [subscribed, setSubscribed] = useState(false);

  useEffect(() => {
    const subscription = client.stream.onActivity.subscribe(undefined, {
      onStarted: () => setSubscribed(true),
      onConnectionStateChange: (state) => setSubscribed(state.state === "pending"),
      onData: (event) => {
        setEvents((current) => (current.some((e) => e.id === event.id) ? current : [event, ...current].slice(0, KEEP)));
        if (!event.recent) setAlert(event);
      },
    });
    return () => {
      setSubscribed(false);
      subscription.unsubscribe();
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
