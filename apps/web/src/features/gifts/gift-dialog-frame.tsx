import * as Dialog from "@radix-ui/react-dialog";
import { Gift, X } from "lucide-react";
import type { RefObject } from "react";
import { toast } from "../../lib/toast";
import { useViewer } from "../../lib/viewer";
import { formatCoins } from "./coins";
import { GiftDialogBody } from "./gift-dialog";
import { useSendGift, type SendResult } from "./use-send-gift";

interface GiftDialogProps {
  username: string;
  isLive: boolean;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The "Send a gift" button: focus goes back to it when the dialog closes. */
  returnFocus: RefObject<HTMLButtonElement | null>;
}

/** The gift dialog (Radix Dialog): a chunk of its own, loaded when "Send a gift" is first pressed. */
export default function GiftDialog({ username, isLive, open, onOpenChange, returnFocus }: GiftDialogProps) {
  const viewer = useViewer();
  const sender = useSendGift(username);

  function sent(result: SendResult, gift: { name: string; icon: string }) {
    onOpenChange(false);
    toast.success(`${gift.icon} ${gift.name} sent to ${username}`, {
      description: `You have ${formatCoins(result.balance)} left.`,
    });
  }

  return (
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        onOpenChange(next);
        if (!next && !sender.isPending) sender.reset();
      }}
    >
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-50 bg-black/70 backdrop-blur-sm" />
        <Dialog.Content
          data-testid="gift-dialog"
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            returnFocus.current?.focus();
          }}
          className="fixed inset-x-0 bottom-0 z-50 flex max-h-[92dvh] flex-col rounded-t-2xl border border-border bg-popover shadow-2xl outline-none sm:inset-x-auto sm:top-1/2 sm:bottom-auto sm:left-1/2 sm:w-[calc(100vw-2rem)] sm:max-w-lg sm:-translate-x-1/2 sm:-translate-y-1/2 sm:rounded-2xl"
        >
          <div className="flex items-start gap-3 border-b border-border px-5 pt-5 pb-4 sm:px-6">
            <span className="flex size-10 shrink-0 items-center justify-center rounded-full bg-amber-400/15 text-amber-300" aria-hidden>
              <Gift className="size-5" />
            </span>
            <div className="min-w-0 flex-1">
              <Dialog.Title className="text-lg font-bold tracking-tight">Send a gift to {username}</Dialog.Title>
              <Dialog.Description className="mt-0.5 text-sm text-muted-foreground">
                It pops up on the stream and in chat.
              </Dialog.Description>
            </div>
            <Dialog.Close
              className="-mt-1 -mr-2 rounded-md p-2 text-muted-foreground outline-none hover:bg-accent hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring"
              aria-label="Close"
            >
              <X className="size-5" />
            </Dialog.Close>
          </div>
          <GiftDialogBody username={username} isLive={isLive} viewer={viewer} sender={sender} onSent={sent} />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
