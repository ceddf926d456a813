import { AlertTriangle, CheckCircle2, Loader2, RotateCw, WifiOff } from "lucide-react";
import { Button } from "../../components/ui/button";
import { cn } from "../../lib/utils";
import type { LinkStatus } from "./connection";

/** A compact pill for the header: how the creator's connection to LiveKit is doing. */
export function LinkPill({ status }: { status: LinkStatus }) {
  const look = {
    idle: { text: "Not connected", icon: WifiOff, cls: "bg-accent text-muted-foreground" },
    connecting: { text: "Connecting…", icon: Loader2, cls: "bg-sky-500/15 text-sky-200" },
    connected: { text: "Connected", icon: CheckCircle2, cls: "bg-green-500/15 text-green-300" },
    reconnecting: { text: "Reconnecting…", icon: Loader2, cls: "bg-amber-500/15 text-amber-200" },
    failed: { text: "Not connected", icon: AlertTriangle, cls: "bg-red-500/15 text-red-300" },
  }[status.state];
  const Icon = look.icon;
  return (
    <span
      className={cn("inline-flex items-center gap-1.5 rounded-full px-2.5 py-1 text-xs font-semibold", look.cls)}
      data-testid="link-state"
      data-state={status.state}
    >
      <Icon className={cn("size-3.5", (status.state === "connecting" || status.state === "reconnecting") && "animate-spin")} aria-hidden />
      {look.text}
    </span>
  );
}

/** The banner under the video when the connection is not simply fine: says what happened and what to do. */
export function LinkBanner({ status, onRetry, retrying }: { status: LinkStatus; onRetry: () => void; retrying: boolean }) {
  if (status.state === "connecting" || status.state === "idle") {
    return (
      <div
        className="flex items-start gap-3 rounded-lg border border-sky-500/30 bg-sky-500/10 px-4 py-3 text-sm text-sky-100"
        role="status"
      >
        <Loader2 className="mt-0.5 size-4 shrink-0 animate-spin" aria-hidden />
        <p>
          Connecting to the live video server
          {status.state === "connecting" ? (
            <>
              {" "}
              at <code className="font-mono text-xs break-all">{status.url}</code>
            </>
          ) : null}
          …
        </p>
      </div>
    );
  }
  if (status.state === "reconnecting") {
    return (
      <div
        className="flex items-start gap-3 rounded-lg border border-amber-500/30 bg-amber-500/10 px-4 py-3 text-sm text-amber-100"
        role="status"
      >
        <Loader2 className="mt-0.5 size-4 shrink-0 animate-spin" aria-hidden />
        <p>Your connection dropped — reconnecting. You're still live; viewers see a short pause.</p>
      </div>
    );
  }
  if (status.state !== "failed") return null;
  return (
    <div
      className="flex flex-col gap-3 rounded-lg border border-destructive/40 bg-destructive/10 px-4 py-3 text-sm text-red-100 sm:flex-row sm:items-center"
      role="alert"
      data-testid="link-failed"
    >
      <AlertTriangle className="hidden size-5 shrink-0 text-red-300 sm:block" aria-hidden />
      <div className="min-w-0 flex-1 leading-relaxed">
        <p className="font-semibold text-red-200">Viewers can't see you: we couldn't connect to the live video server.</p>
        <p className="mt-1 text-red-100/80">
          Tried <code className="rounded bg-black/30 px-1.5 py-0.5 font-mono text-xs break-all text-red-100">{status.url}</code> —{" "}
          {status.reason}. Your stream is still on; press Retry. If it keeps failing, check that LiveKit is running at that address (the
          server's LIVEKIT_URL).
        </p>
      </div>
      <Button variant="secondary" onClick={onRetry} pending={retrying} className="shrink-0">
        <RotateCw /> Retry
      </Button>
    </div>
  );
}
