import * as Dialog from "@radix-ui/react-dialog";
import { RotateCw, Send } from "lucide-react";
import { useState, type FormEvent, type ReactNode } from "react";
import { Link, useLocation } from "react-router";
import { trpc } from "../../lib/trpc";
import type { Viewer } from "../../lib/viewer";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { Field, hintId } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { Skeleton } from "../../components/ui/skeleton";
import { CoinAmount, formatCoins } from "./coins";
import { GiftPicker, type CatalogGift } from "./gift-picker";
import { describeGiftError, type SendResult, type useSendGift } from "./use-send-gift";

const MAX_MESSAGE = 200;

interface BodyProps {
  username: string;
  isLive: boolean;
  viewer: Viewer;
  sender: ReturnType<typeof useSendGift>;
  onSent: (result: SendResult, gift: CatalogGift) => void;
}

export function GiftDialogBody({ username, isLive, viewer, sender, onSent }: BodyProps) {
  const location = useLocation();
  const catalog = trpc.gift.catalog.useQuery(undefined, { staleTime: 5 * 60_000 });
  const wallet = trpc.wallet.balance.useQuery(undefined, { enabled: viewer.signedIn });
  const [picked, setPicked] = useState<string | null>(null);
  const [message, setMessage] = useState("");

  const gifts = catalog.data ?? [];
  const balance = viewer.signedIn ? (wallet.data?.balance ?? null) : null;
  const affordable = (gift: CatalogGift) => balance === null || gift.price <= balance;
  const selected = gifts.find((g) => g.id === picked && affordable(g)) ?? gifts.find(affordable) ?? null;
  const cheapest = gifts.reduce((min, g) => Math.min(min, g.price), Infinity);
  const signInHref = `/sign-in?next=${encodeURIComponent(location.pathname)}`;

  let blocker: ReactNode = null;
  if (!viewer.isPending && !viewer.signedIn) {
    blocker = (
      <Alert data-testid="gift-blocker">
        <Link to={signInHref} className="font-semibold underline underline-offset-2">
          Sign in
        </Link>{" "}
        to send gifts. New accounts start with free coins.
      </Alert>
    );
  } else if (!isLive) {
    blocker = <Alert data-testid="gift-blocker">{username} is offline. Gifts can be sent while they're live.</Alert>;
  } else if (balance !== null && gifts.length > 0 && balance < cheapest) {
    blocker = (
      <Alert data-testid="gift-blocker">
        You have {formatCoins(balance)}, not enough for any gift (the smallest costs {cheapest}). Buying coins isn't available yet —{" "}
        <Link to="/wallet" className="font-semibold underline underline-offset-2">
          see your wallet
        </Link>
        .
      </Alert>
    );
  }

  const problem = sender.error ? describeGiftError(sender.error, username) : null;
  const canSend = Boolean(viewer.signedIn && isLive && selected && balance !== null) && !blocker;

  function clearError() {
    if (sender.error && !sender.isPending) sender.reset();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!canSend || !selected || sender.isPending) return;
    const gift = selected;
    sender.send(gift.id, message, (result) => onSent(result, gift));
  }

  return (
    <form onSubmit={submit} noValidate className="flex min-h-0 flex-1 flex-col">
      <div className="grid min-h-0 flex-1 gap-4 overflow-y-auto px-5 py-4 sm:px-6">
        {viewer.signedIn && (
          <div
            className="flex items-center justify-between gap-3 rounded-lg bg-card px-3.5 py-2.5 ring-1 ring-border"
            data-testid="gift-balance"
          >
            <span className="text-sm text-muted-foreground">Your balance</span>
            {balance === null ? <Skeleton className="h-5 w-16" /> : <CoinAmount amount={balance} className="text-base text-amber-100" />}
          </div>
        )}
        {blocker}
        {catalog.isPending ? (
          <div className="grid grid-cols-3 gap-2" role="status" aria-label="Loading gifts">
            {[0, 1, 2, 3, 4, 5].map((i) => (
              <Skeleton key={i} className="h-[106px] rounded-xl" />
            ))}
          </div>
        ) : catalog.isError ? (
          <Alert variant="error">
            We couldn't load the gifts.{" "}
            <button type="button" onClick={() => void catalog.refetch()} className="font-semibold underline underline-offset-2">
              Try again
            </button>
          </Alert>
        ) : (
          <GiftPicker
            gifts={gifts}
            selected={selected?.id ?? null}
            balance={balance}
            onSelect={(id) => {
              setPicked(id);
              clearError();
            }}
          />
        )}
        {viewer.signedIn && isLive && (
          <Field
            id="gift-message"
            label="Message (optional)"
            aside={`${message.length}/${MAX_MESSAGE}`}
            hint="Shown in chat with your gift."
          >
            <Input
              id="gift-message"
              value={message}
              maxLength={MAX_MESSAGE}
              onChange={(e) => {
                setMessage(e.target.value);
                clearError();
              }}
              placeholder={`Say something nice to ${username}`}
              autoComplete="off"
              aria-describedby={hintId("gift-message")}
            />
          </Field>
        )}
        {problem && (
          <Alert variant="error" data-testid="gift-error">
            {problem.message}
            {problem.signIn && (
              <>
                {" "}
                <Link to={signInHref} className="font-semibold underline underline-offset-2">
                  Sign in
                </Link>
              </>
            )}
          </Alert>
        )}
      </div>
      <div className="flex flex-col-reverse gap-2 border-t border-border px-5 py-4 sm:flex-row sm:items-center sm:justify-end sm:px-6">
        <Dialog.Close asChild>
          <Button type="button" variant="ghost">
            Cancel
          </Button>
        </Dialog.Close>
        <Button type="submit" pending={sender.isPending} disabled={!canSend} className="sm:min-w-44" data-testid="gift-send">
          {sender.isPending ? (
            "Sending…"
          ) : problem?.retry ? (
            <>
              <RotateCw aria-hidden /> Try again
            </>
          ) : (
            <>
              <Send aria-hidden /> {selected ? `Send ${selected.name} · ${formatCoins(selected.price)}` : "Send"}
            </>
          )}
        </Button>
      </div>
    </form>
  );
}
