import { Activity, AlertTriangle } from "lucide-react";
import type { ReactNode } from "react";
import { cn } from "../../lib/utils";
import { formatBitrate, formatResolution, healthWarnings, type Quality, type VideoFigures } from "./stream-health";

const qualityWords: Record<Quality, string> = {
  excellent: "Excellent",
  good: "Good",
  poor: "Poor",
  lost: "Lost",
  unknown: "Measuring…",
};

function Figure({ label, children, testId }: { label: string; children: ReactNode; testId: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="truncate font-mono text-sm font-semibold" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

/** The studio's stream health: connection quality and the outgoing video's bitrate, frame rate and size, with warnings. */
export function HealthPanel({ quality, video }: { quality: Quality; video: VideoFigures | null }) {
  const warnings = healthWarnings(quality, video);
  return (
    <section aria-labelledby="health-heading" className="rounded-lg border border-border bg-card p-4" data-testid="stream-health">
      <h3 id="health-heading" className="flex items-center gap-2 text-sm font-semibold">
        <Activity className="size-4 text-muted-foreground" aria-hidden /> Stream health
      </h3>
      <dl className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Figure label="Connection" testId="health-quality">
          <span className={cn(quality === "poor" || quality === "lost" ? "text-amber-400" : undefined)}>{qualityWords[quality]}</span>
        </Figure>
        <Figure label="Bitrate" testId="health-bitrate">
          {video?.bitrate != null ? formatBitrate(video.bitrate) : "—"}
        </Figure>
        <Figure label="Frame rate" testId="health-fps">
          {video?.fps != null ? `${video.fps} fps` : "—"}
        </Figure>
        <Figure label="Resolution" testId="health-resolution">
          {formatResolution(video?.width ?? null, video?.height ?? null)}
        </Figure>
      </dl>
      {warnings.length > 0 && (
        <ul className="mt-3 grid gap-1 text-sm text-amber-300" role="status" data-testid="health-warnings">
          {warnings.map((warning) => (
            <li key={warning} className="flex items-start gap-2">
              <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden /> {warning}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
