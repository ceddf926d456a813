import { Bell, CheckCheck } from "lucide-react";
import { useState } from "react";
import { Link } from "react-router";
import { errorMessage } from "../../lib/errors";
import { toast } from "../../lib/toast";
import { trpc } from "../../lib/trpc";
import { cn, timeAgo } from "../../lib/utils";
import { Avatar } from "../ui/avatar";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "../ui/dropdown-menu";

/**
 * The bell in the header: the unread count, live (`notification.onNew`), and a menu of the latest
 * notifications (arrows, Enter and Escape work); choosing one marks it read and opens the channel.
 */
export function NotificationBell() {
  const utils = trpc.useUtils();
  const [now, setNow] = useState(() => Date.now());
  const list = trpc.notification.list.useQuery({ limit: 20 });
  // Each new one reloads the list; so does the stream's start (what came before it listened).
  const reload = () => void utils.notification.list.invalidate();
  trpc.notification.onNew.useSubscription(undefined, { onStarted: reload, onData: reload });
  const markRead = trpc.notification.markRead.useMutation({
    onSuccess: ({ unread }) => utils.notification.list.setData({ limit: 20 }, (page) => (page ? { ...page, unread } : page)),
    onError: (error) => toast.error(`Couldn't mark read: ${errorMessage(error)}`),
    onSettled: () => void utils.notification.list.invalidate(),
  });
  const unread = list.data?.unread ?? 0;
  const items = list.data?.items ?? [];
  const label = unread > 0 ? `Notifications, ${unread} unread` : "Notifications";

  return (
    <DropdownMenu modal={false} onOpenChange={(open) => open && setNow(Date.now())}>
      <DropdownMenuTrigger
        className="relative flex size-9 items-center justify-center rounded-full outline-none hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring data-[state=open]:bg-accent"
        aria-label={label}
        data-testid="notification-bell"
      >
        <Bell className="size-5" aria-hidden />
        {unread > 0 && (
          <span
            className="absolute -top-0.5 -right-0.5 min-w-4.5 rounded-full bg-primary px-1 text-center text-[11px] leading-4.5 font-bold text-primary-foreground tabular-nums"
            data-testid="notification-count"
            aria-hidden
          >
            {unread > 99 ? "99+" : unread}
          </span>
        )}
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-80 max-w-[calc(100vw-1rem)]" data-testid="notification-menu">
        <div className="flex items-center justify-between">
          <DropdownMenuLabel className="font-semibold">Notifications</DropdownMenuLabel>
          {unread > 0 && (
            <DropdownMenuItem
              className="text-xs"
              onSelect={(event) => {
                event.preventDefault();
                markRead.mutate({});
              }}
            >
              <CheckCheck aria-hidden /> Mark all read
            </DropdownMenuItem>
          )}
        </div>
        <DropdownMenuSeparator />
        {items.length === 0 ? (
          <p className="px-2.5 py-6 text-center text-sm text-muted-foreground">
            {list.isPending ? "Loading…" : "Nothing yet. Channels you follow tell you here when they go live."}
          </p>
        ) : (
          <div className="max-h-96 overflow-y-auto">
            {items.map((item) => (
              <DropdownMenuItem key={item.id} asChild onSelect={() => !item.readAt && markRead.mutate({ ids: [item.id] })}>
                <Link
                  to={`/${item.channel.username}`}
                  className="items-start"
                  data-testid="notification-item"
                  data-unread={!item.readAt || undefined}
                >
                  <Avatar name={item.channel.username} className="size-8 shrink-0" />
                  <span className="grid min-w-0 flex-1 gap-0.5">
                    <span className={cn("truncate", !item.readAt && "font-semibold")}>{item.channel.username} went live</span>
                    <span className="truncate text-xs text-muted-foreground">{item.channel.title}</span>
                    <span className="text-xs text-muted-foreground">{timeAgo(item.createdAt, now)}</span>
                  </span>
                  {!item.readAt && <span className="mt-1.5 size-2 shrink-0 rounded-full bg-primary" aria-label="unread" />}
                </Link>
              </DropdownMenuItem>
            ))}
          </div>
        )}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
