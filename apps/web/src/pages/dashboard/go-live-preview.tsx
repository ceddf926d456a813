import { FlaskConical, Info, MessageSquare, Radio, RotateCw, Settings2 } from "lucide-react";
import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import type { RouterOutputs } from "@onair/api";
import { Alert } from "../../components/ui/alert";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card } from "../../components/ui/card";
import { Field, hintId } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { formatElapsed } from "../../features/live/live-clock";
import { MediaControls } from "../../features/live/media-controls";
import { SelfView } from "../../features/live/self-view";
import type { Phase } from "../../features/live/use-go-live";
import { useLiveKitPreflight, type Preflight } from "../../features/live/use-preflight";
import type { useLocalMedia } from "../../features/live/use-local-media";

type Stream = NonNullable<RouterOutputs["stream"]["mine"]>;

interface PreviewProps {
  stream: Stream;
  local: ReturnType<typeof useLocalMedia>;
  phase: Phase;
  onGoLive: (title: string) => void;
  /** Development only, while LiveKit is unreachable. */
  onGoLiveWithoutVideo: (title: string) => void;
}

function chatSummary(s: Stream): string {
  if (!s.isChatEnabled) return "Chat is off";
  const who = s.isChatFollowersOnly ? "Followers only" : "Everyone can chat";
  return s.isChatDelayed ? `${who} · slow mode ${s.slowModeSeconds}s` : who;
}

function goLiveHint(media: string, preflight: Preflight): string {
  if (media === "error") return "Fix your camera or microphone below to go live.";
  if (preflight.state === "unreachable") return "Waiting for the live video server (see above).";
  if (media !== "ready") return "Waiting for your camera…";
  if (preflight.state === "checking") return "Checking the live video server…";
  return "Your followers see you're live as soon as your video reaches the server.";
}

/** Before going live: camera preview, devices, mic level, title, and the Go Live button. */
export function GoLivePreview({ stream, local, phase, onGoLive, onGoLiveWithoutVideo }: PreviewProps) {
  const [title, setTitle] = useState(stream.title);
  const { media, retry } = local;
  const ready = media.status === "ready" ? media : null;
  const starting = phase.kind === "starting";
  const tooLong = title.trim().length > 140;
  const preflight = useLiveKitPreflight();
  const serverReady = preflight.state === "ok";

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!tooLong) onGoLive(title);
  }

  return (
    <section aria-labelledby="go-live-heading" className="grid grid-cols-1 gap-5">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id="go-live-heading" className="text-xl font-bold tracking-tight">
            {starting && phase.resuming ? "Picking your stream back up…" : "Go live"}
          </h2>
          <p className="mt-1 text-sm text-muted-foreground">Check your camera and sound. Only you can see this preview.</p>
        </div>
      </div>

      {phase.kind === "ended" && (
        <Alert variant="success" data-testid="ended-note">
          {phase.byCreator ? "Your stream ended" : "Your stream was ended"} after{" "}
          {formatElapsed((phase.endedAt.getTime() - phase.startedAt.getTime()) / 1000)}
          {phase.byCreator ? "." : " — from another tab, by an admin, or because OnAir lost contact with this page."} Go live again whenever
          you're ready.
        </Alert>
      )}

      {/* Title and Go Live first: on a laptop screen the button (and why it is disabled) is in view without scrolling. */}
      <Card>
        <form onSubmit={submit} noValidate className="grid gap-5 p-4 sm:p-5">
          <Field
            id="live-title"
            label="Stream title"
            aside={`${title.trim().length}/140`}
            error={tooLong ? "Keep the title to 140 characters." : undefined}
            hint="Saved when you go live. Viewers see it on your channel and in the directory."
          >
            <Input
              id="live-title"
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              maxLength={200}
              aria-invalid={tooLong}
              aria-describedby={hintId("live-title")}
            />
          </Field>
          <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm text-muted-foreground">
            <span className="inline-flex items-center gap-1.5">
              <MessageSquare className="size-4" aria-hidden /> {chatSummary(stream)}
            </span>
            <Link
              to="/dashboard"
              className="inline-flex items-center gap-1.5 rounded-sm font-medium text-brand outline-none hover:underline focus-visible:ring-2 focus-visible:ring-ring"
            >
              <Settings2 className="size-4" aria-hidden /> Description & chat settings
            </Link>
          </div>
          {preflight.state === "unreachable" && (
            <Alert variant="error" data-testid="preflight-failed">
              <p className="font-semibold">Going live won't work right now: the live video server doesn't answer.</p>
              <p className="mt-1">
                This browser couldn't reach{" "}
                <code className="rounded bg-black/30 px-1.5 py-0.5 font-mono text-xs break-all">{preflight.url}</code>. Start LiveKit there
                (<code className="font-mono text-xs">livekit-server --dev</code>) or fix the server's LIVEKIT_URL, then check again.
              </p>
              {preflight.withoutVideoAllowed && (
                <p className="mt-1" data-testid="without-video-hint">
                  Or try OnAir without video (development only): chat, gifts and your activity feed work; you aren't listed as live.
                </p>
              )}
              <div className="mt-2 flex flex-wrap gap-2" data-testid={preflight.withoutVideoAllowed ? "without-video" : undefined}>
                <Button type="button" variant="secondary" size="sm" pending={preflight.rechecking} onClick={preflight.recheck}>
                  <RotateCw /> Check again
                </Button>
                {preflight.withoutVideoAllowed && (
                  <Button
                    type="button"
                    variant="outline"
                    size="sm"
                    disabled={tooLong || starting}
                    className="h-auto min-h-8 shrink py-1.5 text-left whitespace-normal"
                    onClick={() => onGoLiveWithoutVideo(title)}
                  >
                    <FlaskConical /> Go live without video (development only)
                  </Button>
                )}
              </div>
            </Alert>
          )}
          <div className="flex flex-col gap-3 border-t border-border pt-5 sm:flex-row sm:items-center">
            <Button
              type="submit"
              size="lg"
              pending={starting}
              disabled={media.status !== "ready" || tooLong || !serverReady}
              className="h-12 w-full px-8 text-base sm:w-auto"
              data-testid="go-live-button"
            >
              {!starting && <Radio className="!size-5" aria-hidden />} {starting ? "Going live…" : "Go Live"}
            </Button>
            <p className="inline-flex items-start gap-1.5 text-xs text-muted-foreground">
              <Info className="mt-0.5 size-3.5 shrink-0" aria-hidden />
              <span data-testid="go-live-hint">{goLiveHint(media.status, preflight)}</span>
            </p>
          </div>
        </form>
      </Card>
      <SelfView media={media} onRetry={retry}>
        <div className="absolute top-3 left-3">
          <Badge variant="offline">Preview</Badge>
        </div>
      </SelfView>
      {ready?.note && <Alert variant="info">{ready.note}</Alert>}

      <MediaControls local={local} />
    </section>
  );
}
