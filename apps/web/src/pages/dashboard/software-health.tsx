import type { RouterOutputs } from "@onair/api";
import { Badge } from "../../components/ui/badge";
import { formatBitrate, formatResolution } from "../../features/health/stream-health";

type Health = NonNullable<RouterOutputs["ingress"]["get"]>["health"];

const words = {
  waiting: { badge: "Waiting for your software", text: "Start streaming in your software: this updates within seconds." },
  receiving: { badge: "Receiving", text: "Your software is connected; LiveKit is getting the stream ready." },
  live: { badge: "Live", text: "LiveKit is receiving your stream and sending it to viewers." },
  error: { badge: "Error", text: "" },
} as const;

/** What LiveKit's ingress reports: waiting for the software / receiving / live, and the incoming video. */
export function SoftwareHealth({ health }: { health: Health }) {
  if (!health) {
    return (
      <p className="text-sm text-muted-foreground" data-testid="ingress-health" data-state="unknown">
        LiveKit isn't reporting on your ingress right now.
      </p>
    );
  }
  const said = words[health.state];
  return (
    <div className="grid gap-2 rounded-lg border border-border p-4" data-testid="ingress-health" data-state={health.state}>
      <div className="flex flex-wrap items-center gap-2">
        <p className="text-sm font-semibold">Ingress</p>
        <Badge variant={health.state === "live" ? "live" : "offline"}>{said.badge}</Badge>
      </div>
      <p className="text-sm text-muted-foreground" role="status">
        {health.state === "error" ? `LiveKit reports a problem: ${health.problem}` : said.text}
      </p>
      {health.video && (
        <dl className="grid grid-cols-3 gap-3 text-sm" data-testid="ingress-video">
          <div>
            <dt className="text-xs text-muted-foreground">Incoming bitrate</dt>
            <dd className="font-mono font-semibold">{formatBitrate(health.video.bitrate)}</dd>
          </div>
          <div>
            <dt className="text-xs text-muted-foreground">Resolution</dt>
            <dd className="font-mono font-semibold">{formatResolution(health.video.width, health.video.height)}</dd>
          </div>
          <div>
            <dt className="text-xs text-muted-foreground">Frame rate</dt>
            <dd className="font-mono font-semibold">{Math.round(health.video.framerate)} fps</dd>
          </div>
        </dl>
      )}
    </div>
  );
}
