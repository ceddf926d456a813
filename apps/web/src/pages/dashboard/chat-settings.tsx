import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import type { RouterOutputs } from "@onair/api";
import { Button } from "../../components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "../../components/ui/card";
import { hintId } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { Label } from "../../components/ui/label";
import { Switch } from "../../components/ui/switch";
import { errorMessage, fieldErrors } from "../../lib/errors";
import { trpc } from "../../lib/trpc";

type Stream = NonNullable<RouterOutputs["stream"]["mine"]>;
type Settings = Partial<Pick<Stream, "isChatEnabled" | "isChatFollowersOnly" | "isChatDelayed" | "slowModeSeconds">>;

function describe(change: Settings): string {
  if (change.isChatEnabled !== undefined) return change.isChatEnabled ? "Chat turned on" : "Chat turned off";
  if (change.isChatFollowersOnly !== undefined) return change.isChatFollowersOnly ? "Followers-only chat on" : "Everyone can chat";
  if (change.isChatDelayed !== undefined) return change.isChatDelayed ? "Slow mode on" : "Slow mode off";
  return `Slow mode: one message every ${change.slowModeSeconds} seconds`;
}

/** Each switch saves at once (optimistically) and confirms with a toast. */
export function ChatSettingsCard({ stream }: { stream: Stream }) {
  const utils = trpc.useUtils();
  const update = trpc.stream.updateChatSettings.useMutation({
    onMutate: async (change) => {
      await utils.stream.mine.cancel();
      const previous = utils.stream.mine.getData();
      utils.stream.mine.setData(undefined, (s) => (s ? { ...s, ...change } : s));
      return { previous };
    },
    onError: (error, change, context) => {
      utils.stream.mine.setData(undefined, context?.previous);
      if (!fieldErrors(error).slowModeSeconds) toast.error(`${describe(change)} — not saved: ${errorMessage(error)}`);
    },
    onSuccess: (saved, change) => {
      utils.stream.mine.setData(undefined, saved);
      toast.success(describe(change));
    },
  });

  const rows = [
    { key: "isChatEnabled", label: "Chat", text: "Let viewers talk in your channel's chat.", checked: stream.isChatEnabled, disabled: false },
    { key: "isChatFollowersOnly", label: "Followers-only", text: "Only people who follow you can send messages.", checked: stream.isChatFollowersOnly, disabled: !stream.isChatEnabled },
    { key: "isChatDelayed", label: "Slow mode", text: "Each viewer can send one message per interval.", checked: stream.isChatDelayed, disabled: !stream.isChatEnabled },
  ] as const;

  return (
    <Card>
      <CardHeader>
        <CardTitle>Chat settings</CardTitle>
        <CardDescription>Changes save as you make them.</CardDescription>
      </CardHeader>
      <ul className="divide-y divide-border border-t border-border">
        {rows.map((row) => (
          <li key={row.key} className="flex items-center justify-between gap-6 px-5 py-4 sm:px-6">
            <div className="grid gap-1">
              <Label htmlFor={`chat-${row.key}`} className={row.disabled ? "opacity-60" : undefined}>{row.label}</Label>
              <p id={hintId(`chat-${row.key}`)} className="text-sm text-muted-foreground">{row.text}</p>
            </div>
            <Switch
              id={`chat-${row.key}`}
              checked={row.checked}
              disabled={row.disabled}
              aria-describedby={hintId(`chat-${row.key}`)}
              onCheckedChange={(checked) => update.mutate({ [row.key]: checked })}
            />
          </li>
        ))}
        {stream.isChatDelayed && (
          <li className="px-5 py-4 sm:px-6">
            <SlowModeSeconds
              key={stream.slowModeSeconds}
              value={stream.slowModeSeconds}
              disabled={!stream.isChatEnabled}
              error={update.error ? fieldErrors(update.error).slowModeSeconds?.join(", ") : undefined}
              onSave={(slowModeSeconds) => update.mutate({ slowModeSeconds })}
            />
          </li>
        )}
      </ul>
    </Card>
  );
}

function SlowModeSeconds({ value, disabled, error, onSave }: { value: number; disabled: boolean; error?: string | undefined; onSave: (n: number) => void }) {
  const [draft, setDraft] = useState(String(value));
  const n = Number(draft);
  const valid = Number.isInteger(n) && n >= 2 && n <= 300;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (draft !== String(value)) onSave(Number(draft));
  }

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-2 sm:flex-row sm:items-end sm:justify-between">
      <div className="grid gap-1">
        <Label htmlFor="slow-mode-seconds">Slow mode interval</Label>
        <p id={hintId("slow-mode-seconds")} className={error ? "text-sm text-red-300" : valid ? "text-sm text-muted-foreground" : "text-sm text-amber-300"} role={error ? "alert" : undefined}>
          {error ?? "Seconds between messages, from 2 to 300."}
        </p>
      </div>
      <div className="flex items-center gap-2">
        <Input
          id="slow-mode-seconds"
          type="number"
          inputMode="numeric"
          min={2}
          max={300}
          value={draft}
          disabled={disabled}
          onChange={(e) => setDraft(e.target.value)}
          aria-invalid={Boolean(error) || !valid}
          aria-describedby={hintId("slow-mode-seconds")}
          className="w-24"
        />
        <span className="text-sm text-muted-foreground">sec</span>
        <Button type="submit" variant="secondary" disabled={disabled || draft === String(value)}>
          Save
        </Button>
      </div>
    </form>
  );
}
