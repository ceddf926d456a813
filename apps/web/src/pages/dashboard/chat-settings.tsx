import { toast } from "../../lib/toast";
import type { RouterOutputs } from "@onair/api";
import { Card, CardDescription, CardHeader, CardTitle } from "../../components/ui/card";
import { hintId } from "../../components/ui/field";
import { Label } from "../../components/ui/label";
import { Switch } from "../../components/ui/switch";
import { errorMessage, fieldErrors } from "../../lib/errors";
import { trpc } from "../../lib/trpc";
import { NumberSetting } from "./chat-settings-number";

// `followersOnlyMinutes` is accepted by updateChatSettings; the stream view may not carry it yet.
type Stream = NonNullable<RouterOutputs["stream"]["mine"]> & { followersOnlyMinutes?: number };
type Settings = Partial<
  Pick<Stream, "isChatEnabled" | "isChatFollowersOnly" | "isChatDelayed" | "slowModeSeconds" | "followersOnlyMinutes">
>;

function minutes(n: number) {
  if (n % 1440 === 0) return `${n / 1440} day${n === 1440 ? "" : "s"}`;
  if (n % 60 === 0) return `${n / 60} hour${n === 60 ? "" : "s"}`;
  return `${n} minute${n === 1 ? "" : "s"}`;
}

function describe(change: Settings): string {
  if (change.isChatEnabled !== undefined) return change.isChatEnabled ? "Chat turned on" : "Chat turned off";
  if (change.isChatFollowersOnly !== undefined) return change.isChatFollowersOnly ? "Followers-only chat on" : "Everyone can chat";
  if (change.isChatDelayed !== undefined) return change.isChatDelayed ? "Slow mode on" : "Slow mode off";
  if (change.followersOnlyMinutes !== undefined) {
    return change.followersOnlyMinutes === 0
      ? "Followers can chat right away"
      : `Followers can chat after following for ${minutes(change.followersOnlyMinutes)}`;
  }
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
      if (!fieldErrors(error).slowModeSeconds && !fieldErrors(error).followersOnlyMinutes)
        toast.error(`${describe(change)} — not saved: ${errorMessage(error)}`);
    },
    onSuccess: (saved, change) => {
      // Keep a saved followers-only minimum even if the returned view doesn't include it.
      utils.stream.mine.setData(undefined, (current) => ({ ...current, ...change, ...saved }));
      toast.success(describe(change));
    },
  });

  const errors = update.error ? fieldErrors(update.error) : {};
  const followersOnlyMinutes = stream.followersOnlyMinutes ?? 0;
  const rows = [
    {
      key: "isChatEnabled",
      label: "Chat",
      text: "Let viewers talk in your channel's chat.",
      checked: stream.isChatEnabled,
      disabled: false,
    },
    {
      key: "isChatFollowersOnly",
      label: "Followers-only",
      text: "Only people who follow you can send messages.",
      checked: stream.isChatFollowersOnly,
      disabled: !stream.isChatEnabled,
    },
    {
      key: "isChatDelayed",
      label: "Slow mode",
      text: "Each viewer can send one message per interval.",
      checked: stream.isChatDelayed,
      disabled: !stream.isChatEnabled,
    },
  ] as const;

  return (
    <Card>
      <CardHeader>
        <CardTitle>Chat settings</CardTitle>
        <CardDescription>Changes save as you make them.</CardDescription>
      </CardHeader>
      <ul className="divide-y divide-border border-t border-border">
        {rows.map((row) => [
          <li key={row.key} className="flex items-center justify-between gap-6 px-5 py-4 sm:px-6">
            <div className="grid gap-1">
              <Label htmlFor={`chat-${row.key}`} className={row.disabled ? "opacity-60" : undefined}>
                {row.label}
              </Label>
              <p id={hintId(`chat-${row.key}`)} className="text-sm text-muted-foreground">
                {row.text}
              </p>
            </div>
            <Switch
              id={`chat-${row.key}`}
              checked={row.checked}
              disabled={row.disabled}
              aria-describedby={hintId(`chat-${row.key}`)}
              onCheckedChange={(checked) => update.mutate({ [row.key]: checked })}
            />
          </li>,
          row.key === "isChatFollowersOnly" && stream.isChatFollowersOnly && (
            <li key="followers-only-minutes" className="px-5 py-4 sm:px-6">
              <NumberSetting
                key={`f${followersOnlyMinutes}`}
                id="followers-only-minutes"
                label="Follower age"
                hint="Minutes someone must have followed before they can chat (0 to 43200; 0 = right away)."
                unit="min"
                min={0}
                max={43_200}
                value={followersOnlyMinutes}
                disabled={!stream.isChatEnabled}
                error={errors.followersOnlyMinutes?.join(", ")}
                onSave={(n) => update.mutate({ followersOnlyMinutes: n })}
              />
            </li>
          ),
        ])}
        {stream.isChatDelayed && (
          <li className="px-5 py-4 sm:px-6">
            <NumberSetting
              key={`s${stream.slowModeSeconds}`}
              id="slow-mode-seconds"
              label="Slow mode interval"
              hint="Seconds between messages, from 2 to 300."
              unit="sec"
              min={2}
              max={300}
              value={stream.slowModeSeconds}
              disabled={!stream.isChatEnabled}
              error={errors.slowModeSeconds?.join(", ")}
              onSave={(slowModeSeconds) => update.mutate({ slowModeSeconds })}
            />
          </li>
        )}
      </ul>
    </Card>
  );
}
