import { Ban, Clock, EyeOff, ShieldOff } from "lucide-react";
import { ErrorState } from "../../components/states";
import { Button } from "../../components/ui/button";
import { Skeleton } from "../../components/ui/skeleton";
import { errorMessage } from "../../lib/errors";
import { toast } from "../../lib/toast";
import { trpc } from "../../lib/trpc";
import { formatLeft } from "./timeouts";
import { useNow } from "./use-now";

const KINDS = {
  timeout: { label: "Timed out", Icon: Clock },
  ban: { label: "Banned from chat", Icon: Ban },
  block: { label: "Blocked from watching", Icon: EyeOff },
} as const;

/**
 * The channel's restrictions in force, each with Lift; a timeout counts down what is left and leaves
 * the list when it ends. A block is lifted by the creator (or an admin) only (`canLiftBlocks`).
 */
export function RestrictionList({ channel, canLiftBlocks }: { channel: string; canLiftBlocks: boolean }) {
  const utils = trpc.useUtils();
  const list = trpc.moderation.list.useQuery({ channel });
  const ticking = list.data?.some((row) => row.until !== null) ?? false;
  const now = useNow(ticking);
  const lift = trpc.moderation.unban.useMutation({
    onSuccess: (result) => {
      toast.success(result.lifted ? `${result.username}'s restriction is lifted` : `${result.username} was not restricted`);
      void utils.moderation.list.invalidate({ channel });
    },
    onError: (error, input) => toast.error(`Lifting ${input.username}'s restriction failed: ${errorMessage(error)}`),
  });

  if (list.isPending) return <Skeleton className="h-16 w-full" role="status" aria-label="Loading restrictions" />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  const rows = list.data.filter((row) => row.until === null || new Date(row.until).getTime() > now);
  if (rows.length === 0) {
    return (
      <p className="flex items-center gap-2 text-sm text-muted-foreground" data-testid="no-restrictions">
        <ShieldOff className="size-4" aria-hidden /> Nobody is restricted.
      </p>
    );
  }
  return (
    <ul className="divide-y divide-border">
      {rows.map((row) => {
        const { label, Icon } = KINDS[row.kind];
        const name = row.username ?? "";
        const until = row.until ? new Date(row.until).getTime() : null;
        return (
          <li key={name} data-testid="restriction" data-kind={row.kind} className="flex items-center justify-between gap-3 py-3">
            <div className="min-w-0">
              <p className="truncate font-semibold">{name}</p>
              <p className="flex items-center gap-1.5 text-xs text-muted-foreground">
                <Icon className="size-3.5 shrink-0" aria-hidden /> {label}
                {until !== null && (
                  <span className="tabular-nums" data-testid="time-left">
                    · {formatLeft(until, now)} left
                  </span>
                )}
              </p>
            </div>
            {(row.kind !== "block" || canLiftBlocks) && (
              <Button
                variant="secondary"
                size="sm"
                aria-label={`Lift ${name}'s restriction`}
                pending={lift.isPending && lift.variables?.username === name}
                onClick={() => lift.mutate({ channel, username: name })}
              >
                Lift
              </Button>
            )}
          </li>
        );
      })}
    </ul>
  );
}
