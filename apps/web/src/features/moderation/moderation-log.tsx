import type { ModerationEntry } from "@onair/api";
import { ErrorState } from "../../components/states";
import { Button } from "../../components/ui/button";
import { Skeleton } from "../../components/ui/skeleton";
import { trpc } from "../../lib/trpc";
import { timeAgo } from "../../lib/utils";
import { formatMinutes } from "./timeouts";
import { useNow } from "./use-now";

const PAGE = 20;

/** "bob timed out carol for 10 min", "alice made bob a moderator". */
export function describeEntry(entry: Pick<ModerationEntry, "actor" | "target" | "action" | "minutes">): string {
  const { actor, target } = entry;
  switch (entry.action) {
    case "delete":
      return `${actor} deleted a message by ${target}`;
    case "timeout":
      return `${actor} timed out ${target}${entry.minutes ? ` for ${formatMinutes(entry.minutes)}` : ""}`;
    case "ban":
      return `${actor} banned ${target} from chat`;
    case "unban":
      return `${actor} lifted ${target}'s timeout or ban`;
    case "block":
      return `${actor} blocked ${target} from watching`;
    case "unblock":
      return `${actor} unblocked ${target}`;
    case "moderator_added":
      return `${actor} made ${target} a moderator`;
    case "moderator_removed":
      return `${actor} removed ${target} as a moderator`;
  }
}

/** The channel's moderation log, newest first, a page at a time (kept current by `useModerationLive`). */
export function ModerationLog({ channel }: { channel: string }) {
  const log = trpc.moderation.log.useInfiniteQuery({ channel, limit: PAGE }, { getNextPageParam: (page) => page.nextCursor ?? undefined });
  const now = useNow(true, 30_000);
  if (log.isPending) return <Skeleton className="h-16 w-full" role="status" aria-label="Loading the moderation log" />;
  if (log.isError) return <ErrorState error={log.error} onRetry={() => void log.refetch()} />;
  const entries = log.data.pages.flatMap((page) => page.items);
  if (entries.length === 0) return <p className="text-sm text-muted-foreground">No moderation yet.</p>;
  return (
    <div className="grid gap-3">
      <ol className="grid gap-2" aria-label="Moderation log">
        {entries.map((entry) => (
          <li key={entry.id} data-testid="log-entry" data-action={entry.action} className="text-sm leading-snug">
            <span className="break-words">{describeEntry(entry)}</span>
            {entry.reason && <span className="break-words text-muted-foreground">: “{entry.reason}”</span>}
            <time dateTime={new Date(entry.at).toISOString()} className="block text-xs text-muted-foreground">
              {timeAgo(new Date(entry.at), now)}
            </time>
          </li>
        ))}
      </ol>
      {log.hasNextPage && (
        <Button
          variant="ghost"
          size="sm"
          className="justify-self-start"
          pending={log.isFetchingNextPage}
          onClick={() => void log.fetchNextPage()}
        >
          Show older
        </Button>
      )}
    </div>
  );
}
