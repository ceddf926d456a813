import { Gift } from "lucide-react";
import { lazy, Suspense, useRef, useState } from "react";
import { useViewer } from "../../lib/viewer";
import { Button } from "../../components/ui/button";

// The dialog, its catalogue and the send logic load when the button is first pressed.
const GiftDialog = lazy(() => import("./gift-dialog-frame"));

interface GiftButtonProps {
  username: string;
  isLive: boolean;
  className?: string;
}

/**
 * "Send a gift": opens a dialog with the catalogue, the viewer's balance and an optional message.
 * Always opens (so everyone can see what gifts cost); Send is disabled with the reason when the
 * channel is offline, the viewer is signed out or can't afford the gift. Hidden on your own channel.
 */
export function GiftButton({ username, isLive, className }: GiftButtonProps) {
  const viewer = useViewer();
  const [open, setOpen] = useState(false);
  const [wanted, setWanted] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  if (viewer.me && viewer.me.username.toLowerCase() === username.toLowerCase()) return null;

  return (
    <>
      <Button
        ref={button}
        variant="secondary"
        className={className}
        data-testid="gift-button"
        aria-haspopup="dialog"
        aria-expanded={open}
        title={isLive ? undefined : `Gifts can be sent while ${username} is live`}
        onClick={() => {
          setWanted(true);
          setOpen(true);
        }}
      >
        <Gift className="text-amber-300" /> Send a gift
      </Button>
      {wanted && (
        <Suspense fallback={null}>
          <GiftDialog username={username} isLive={isLive} open={open} onOpenChange={setOpen} returnFocus={button} />
        </Suspense>
      )}
    </>
  );
}
