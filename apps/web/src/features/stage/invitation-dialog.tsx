import * as Dialog from "@radix-ui/react-dialog";
import { Check, Info, X } from "lucide-react";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { DevicePickers } from "../live/device-pickers";
import { MediaToggles } from "../live/media-toggles";
import { MicMeter } from "../live/mic-meter";
import { SelfView } from "../live/self-view";
import type { useLocalMedia } from "../live/use-local-media";
import { useTrackState } from "../live/use-track-state";
import type { Invitation } from "./stage-state";

interface InvitationDialogProps {
  invitation: Invitation | null;
  local: ReturnType<typeof useLocalMedia>;
  accepting: boolean;
  onAccept: (invitation: Invitation) => void;
  /** Decline, Escape or the close button: no. */
  onDecline: (invitation: Invitation) => void;
}

/**
 * A creator asks the user on camera: a preview of their camera and microphone (devices to choose), then
 * Accept or Decline. It closes by itself when the invitation is withdrawn.
 */
export function InvitationDialog({ invitation, local, accepting, onAccept, onDecline }: InvitationDialogProps) {
  const ready = local.media.status === "ready" ? local.media : null;
  const camera = useTrackState(ready?.video);
  const mic = useTrackState(ready?.audio);
  const channel = invitation?.channel ?? "";
  return (
    <Dialog.Root open={invitation !== null} onOpenChange={(open) => !open && invitation && !accepting && onDecline(invitation)}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-50 bg-black/70 backdrop-blur-sm" />
        <Dialog.Content
          data-testid="stage-invitation"
          data-channel={channel}
          className="fixed top-1/2 left-1/2 z-50 grid max-h-[calc(100dvh-1rem)] w-[calc(100vw-1rem)] max-w-xl -translate-x-1/2 -translate-y-1/2 gap-4 overflow-y-auto rounded-xl border border-border bg-popover p-4 shadow-2xl outline-none sm:p-6"
        >
          <div className="pr-8">
            <Dialog.Title className="text-lg font-bold tracking-tight break-words">{channel} invites you on stage</Dialog.Title>
            <Dialog.Description className="mt-1 text-sm leading-relaxed text-muted-foreground">
              Your camera and microphone join {channel}'s live stream, next to them. Check how you look and sound first: only you see this
              preview.
            </Dialog.Description>
          </div>
          <SelfView media={local.media} onRetry={local.retry}>
            <div className="absolute top-2 left-2">
              <Badge variant="offline">Preview</Badge>
            </div>
          </SelfView>
          <div className="flex flex-wrap items-center gap-x-4 gap-y-3">
            <MediaToggles video={ready?.video ?? null} audio={ready?.audio ?? null} />
            <div className="grid min-w-[160px] flex-1 gap-1.5">
              <span className="text-xs font-medium text-muted-foreground">Microphone level</span>
              <MicMeter track={ready?.audio ?? null} />
            </div>
          </div>
          {ready && <DevicePickers compact cameraId={camera.deviceId} microphoneId={mic.deviceId} onSwitch={local.switchDevice} />}
          {ready?.note && <p className="text-xs text-amber-300">{ready.note}</p>}
          <p className="flex items-start gap-1.5 text-xs text-muted-foreground">
            <Info className="mt-0.5 size-3.5 shrink-0" aria-hidden />
            <span>Everyone watching sees and hears you until you leave or {channel} takes you off. Chat rules still apply.</span>
          </p>
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button variant="ghost" disabled={accepting} onClick={() => invitation && onDecline(invitation)}>
              Decline
            </Button>
            <Button
              pending={accepting}
              disabled={local.media.status !== "ready"}
              onClick={() => invitation && onAccept(invitation)}
              data-testid="stage-accept"
            >
              {!accepting && <Check />} {accepting ? "Joining…" : "Accept and go on stage"}
            </Button>
          </div>
          <Dialog.Close
            aria-label="Decline and close"
            disabled={accepting}
            className="absolute top-3 right-3 rounded-md p-2 text-muted-foreground outline-none hover:bg-accent hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring"
          >
            <X className="size-5" />
          </Dialog.Close>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
