import * as Dialog from "@radix-ui/react-dialog";
import { useId, useState, type FormEvent } from "react";
import { Button } from "../../components/ui/button";
import { Input } from "../../components/ui/input";
import { errorMessage } from "../../lib/errors";
import { toast } from "../../lib/toast";
import { trpc } from "../../lib/trpc";
import { cn } from "../../lib/utils";
import { formatMinutes, TIMEOUTS } from "./timeouts";

export interface RestrictRequest {
  kind: "timeout" | "ban";
  channel: string;
  username: string;
}

/**
 * Time out (1 min, 10 min, 1 h or 24 h) or ban someone from chat, with an optional reason that the
 * moderation log keeps. Opened from state (the moderator menu closes as it opens).
 */
export function RestrictDialog({ request, onClose }: { request: RestrictRequest | null; onClose: () => void }) {
  return (
    <Dialog.Root open={request !== null} onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-50 bg-black/70 backdrop-blur-sm" />
        <Dialog.Content
          data-testid="restrict-dialog"
          // The menu that opened it is gone, and so will the message be (a timeout or ban removes the user's
          // recent messages): focus goes back to the chat box, never to <body>.
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            document.querySelector<HTMLElement>("[data-testid=chat-input]")?.focus();
          }}
          className="fixed top-1/2 left-1/2 z-50 grid w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 gap-4 rounded-xl border border-border bg-popover p-6 shadow-2xl outline-none"
        >
          {request && <RestrictForm key={`${request.kind}-${request.username}`} request={request} onDone={onClose} />}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function RestrictForm({ request, onDone }: { request: RestrictRequest; onDone: () => void }) {
  const { kind, channel, username } = request;
  const reasonId = useId();
  const utils = trpc.useUtils();
  const [minutes, setMinutes] = useState<number>(10);
  const [reason, setReason] = useState("");
  const done = (text: string) => {
    toast.success(text);
    void utils.moderation.list.invalidate({ channel });
    onDone();
  };
  const failed = (what: string) => (error: unknown) => toast.error(`${what} failed: ${errorMessage(error)}`);
  const timeout = trpc.moderation.timeout.useMutation({
    onSuccess: (_, input) => done(`${username} is timed out for ${formatMinutes(input.minutes)}`),
    onError: failed("Timeout"),
  });
  const ban = trpc.moderation.ban.useMutation({ onSuccess: () => done(`${username} is banned from chat`), onError: failed("Ban") });
  const pending = timeout.isPending || ban.isPending;

  function submit(event: FormEvent) {
    event.preventDefault();
    const why = reason.trim() || undefined;
    if (kind === "timeout") timeout.mutate({ channel, username, minutes, reason: why });
    else ban.mutate({ channel, username, reason: why });
  }

  return (
    <form onSubmit={submit} className="grid gap-4">
      <Dialog.Title className="text-lg font-bold tracking-tight break-words">
        {kind === "timeout" ? `Time out ${username}` : `Ban ${username} from chat`}
      </Dialog.Title>
      <Dialog.Description className="text-sm leading-relaxed text-muted-foreground">
        {kind === "timeout"
          ? "They can't chat until the time is up. Their recent messages leave the chat."
          : "They can't chat until someone lifts the ban. Their recent messages leave the chat."}
      </Dialog.Description>
      {kind === "timeout" && (
        <fieldset className="grid gap-2">
          <legend className="mb-2 text-sm font-medium">How long</legend>
          <div className="grid grid-cols-2 gap-2 sm:grid-cols-4">
            {TIMEOUTS.map((option) => (
              <label
                key={option.minutes}
                className={cn(
                  "flex h-10 cursor-pointer items-center justify-center rounded-md border border-input text-sm font-medium has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring",
                  minutes === option.minutes && "border-primary bg-primary/15 text-foreground",
                )}
              >
                <input
                  type="radio"
                  name="minutes"
                  value={option.minutes}
                  checked={minutes === option.minutes}
                  onChange={() => setMinutes(option.minutes)}
                  className="sr-only"
                />
                {option.label}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <div className="grid gap-2">
        <label htmlFor={reasonId} className="text-sm font-medium">
          Reason <span className="font-normal text-muted-foreground">(optional, kept in the moderation log)</span>
        </label>
        <Input id={reasonId} value={reason} onChange={(event) => setReason(event.target.value)} maxLength={200} autoComplete="off" />
      </div>
      <div className="mt-2 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Dialog.Close asChild>
          <Button type="button" variant="ghost" disabled={pending}>
            Cancel
          </Button>
        </Dialog.Close>
        <Button type="submit" className="bg-[#c81e1e] text-white shadow-none hover:bg-[#a51818]" pending={pending}>
          {kind === "timeout" ? "Time out" : "Ban"}
        </Button>
      </div>
    </form>
  );
}
