import * as DropdownMenuPrimitive from "@radix-ui/react-dropdown-menu";
import { Bell, BellOff, Check } from "lucide-react";
import { errorMessage } from "../lib/errors";
import { toast } from "../lib/toast";
import { trpc } from "../lib/trpc";
import { DropdownMenu, DropdownMenuContent, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from "./ui/dropdown-menu";
import { Button } from "./ui/button";

type Alerts = { inApp: boolean; email: boolean };
const OPTIONS: { key: keyof Alerts; label: string; hint: string }[] = [
  { key: "inApp", label: "Live alerts", hint: "In the bell when they go live" },
  { key: "email", label: "Email alerts", hint: "At most one mail per 12 hours" },
];

/** The bell beside Following (like Twitch's): go-live alerts for this follow, in the app (on) and by mail (off). */
export function AlertSettings({ username, alerts, size }: { username: string; alerts: Alerts; size: "default" | "sm" }) {
  const utils = trpc.useUtils();
  const setAlerts = trpc.follow.setAlerts.useMutation({
    onMutate: (next) =>
      utils.follow.status.setData({ username }, (s) => (s ? { ...s, alerts: { inApp: next.inApp, email: next.email } } : s)),
    onError: (error) => toast.error(`Alert settings not saved: ${errorMessage(error)}`),
    onSettled: () => void utils.follow.status.invalidate({ username }),
  });
  const off = !alerts.inApp && !alerts.email;
  return (
    <DropdownMenu modal={false}>
      <DropdownMenuTrigger asChild>
        <Button
          variant="secondary"
          size={size === "sm" ? "sm" : "icon"}
          aria-label={`Alert settings for ${username}`}
          data-testid="alert-settings"
        >
          {off ? <BellOff aria-hidden /> : <Bell aria-hidden />}
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" data-testid="alert-settings-menu">
        <DropdownMenuLabel className="font-semibold">When {username} goes live</DropdownMenuLabel>
        <DropdownMenuSeparator />
        {OPTIONS.map(({ key, label, hint }) => (
          <DropdownMenuPrimitive.CheckboxItem
            key={key}
            checked={alerts[key]}
            onSelect={(event) => event.preventDefault()}
            onCheckedChange={(checked) => setAlerts.mutate({ username, ...alerts, [key]: checked === true })}
            className="relative flex cursor-pointer items-start gap-2.5 rounded-md py-2 pr-2.5 pl-8 text-sm outline-none select-none data-[highlighted]:bg-accent"
          >
            <DropdownMenuPrimitive.ItemIndicator className="absolute top-2.5 left-2.5">
              <Check className="size-4" aria-hidden />
            </DropdownMenuPrimitive.ItemIndicator>
            <span className="grid">
              <span>{label}</span>
              <span className="text-xs text-muted-foreground">{hint}</span>
            </span>
          </DropdownMenuPrimitive.CheckboxItem>
        ))}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
