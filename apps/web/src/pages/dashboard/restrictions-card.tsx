import { Ban, Clock, EyeOff, ShieldOff } from "lucide-react";
import { toast } from "../../lib/toast";
import { ErrorState } from "../../components/states";
import { Button } from "../../components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../../components/ui/card";
import { Skeleton } from "../../components/ui/skeleton";
import { errorMessage } from "../../lib/errors";
import { trpc } from "../../lib/trpc";

const KINDS = {
  timeout: { label: "Timed out", Icon: Clock },
  ban: { label: "Banned from chat", Icon: Ban },
  block: { label: "Blocked from watching", Icon: EyeOff },
} as const;

const time = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** Restrictions in force in the channel, each with Lift. */
export function RestrictionsCard({ channel }: { channel: string }) {
  const utils = trpc.useUtils();
  const list = trpc.moderation.list.useQuery({ channel });
  const lift = trpc.moderation.unban.useMutation({
    onSuccess: (result) => {
      toast.success(result.lifted ? `${result.username}'s restriction is lifted` : `${result.username} was not restricted`);
      void utils.moderation.list.invalidate({ channel });
    },
    onError: (error, input) => toast.error(`Lifting ${input.username}'s restriction failed: ${errorMessage(error)}`),
  });

  return (
    <Card data-testid="restrictions">
      <CardHeader>
        <CardTitle>Restrictions</CardTitle>
        <CardDescription>
          People timed out, banned or blocked in your channel. Restrict someone from a message's menu in chat.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {list.isPending ? (
          <Skeleton className="h-16 w-full" role="status" aria-label="Loading restrictions" />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : list.data.length === 0 ? (
          <p className="flex items-center gap-2 text-sm text-muted-foreground">
            <ShieldOff className="size-4" aria-hidden /> Nobody is restricted.
          </p>
        ) : (
          <ul className="divide-y divide-border">
            {list.data.map((row) => {
              const { label, Icon } = KINDS[row.kind];
              const name = row.username ?? "";
              return (
                <li key={name} data-testid="restriction" className="flex flex-wrap items-center justify-between gap-3 py-3">
                  <div className="min-w-0">
                    <p className="truncate font-semibold">{name}</p>
                    <p className="flex items-center gap-1.5 text-xs text-muted-foreground">
                      <Icon className="size-3.5" aria-hidden /> {label}
                      {row.until ? ` until ${time.format(new Date(row.until))}` : ""}
                    </p>
                  </div>
                  <Button
                    variant="secondary"
                    size="sm"
                    aria-label={`Lift ${name}'s restriction`}
                    pending={lift.isPending && lift.variables?.username === name}
                    onClick={() => lift.mutate({ channel, username: name })}
                  >
                    Lift
                  </Button>
                </li>
              );
            })}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
