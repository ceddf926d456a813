import { Gift, Heart } from "lucide-react";
import type { ActivityEvent } from "@onair/api";
import { Card } from "../ui/card";
import { describeActivity } from "./use-activity";

const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

function Icon({ event }: { event: ActivityEvent }) {
  if (event.type === "follow") return <Heart className="size-4 shrink-0 text-primary" aria-hidden />;
  return (
    <span className="w-4 shrink-0 text-center leading-none" aria-hidden>
      {[...event.icon].length <= 4 ? event.icon : <Gift className="size-4" />}
    </span>
  );
}

/** The studio's list of follows and gifts, newest first. */
export function ActivityFeed({ events, subscribed }: { events: ActivityEvent[]; subscribed: boolean }) {
  return (
    <Card className="p-4 sm:p-5" data-testid="activity-feed" data-subscribed={subscribed}>
      <h3 className="mb-2 text-sm font-semibold">Activity</h3>
      {events.length === 0 ? (
        <p className="text-sm text-muted-foreground">New followers and gifts show up here.</p>
      ) : (
        <ul className="grid max-h-60 gap-1.5 overflow-y-auto text-sm" aria-live="polite">
          {events.map((event) => (
            <li key={event.id} data-testid="activity-item" className="flex min-w-0 items-start gap-2">
              <Icon event={event} />
              <span className="min-w-0 flex-1 break-words [overflow-wrap:anywhere]">{describeActivity(event)}</span>
              <time className="shrink-0 text-xs text-muted-foreground tabular-nums" dateTime={new Date(event.at).toISOString()}>
                {clock.format(new Date(event.at))}
              </time>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

/** A short on-screen alert over the studio's picture for a follow or gift that just happened. */
export function ActivityAlert({ event }: { event: ActivityEvent | null }) {
  return (
    <div role="status" aria-live="polite" className="pointer-events-none absolute inset-x-3 bottom-3 flex justify-center">
      {event && (
        <p
          key={event.id}
          data-testid="activity-alert"
          className="flex max-w-full items-center gap-2 rounded-full bg-black/75 px-4 py-2 text-sm font-semibold text-white shadow-lg ring-1 ring-white/15 break-words [overflow-wrap:anywhere]"
        >
          <Icon event={event} /> {describeActivity(event)}
        </p>
      )}
    </div>
  );
}
