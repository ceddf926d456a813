import { Check, Inbox, X } from "lucide-react";
import { useState } from "react";
import { toast } from "../../lib/toast";
import type { RouterOutputs } from "@onair/api";
import { ErrorState } from "../../components/states";
import { Avatar } from "../../components/ui/avatar";
import { Button } from "../../components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "../../components/ui/card";
import { Skeleton } from "../../components/ui/skeleton";
import { errorMessage } from "../../lib/errors";
import { trpc } from "../../lib/trpc";
import { timeAgo } from "../../lib/utils";

type Pending = RouterOutputs["admin"]["pendingCreators"][number];

/** Approve/Reject remove the row at once and put it back if the server says no. */
function useDecisionOptions(kind: "approve" | "reject") {
  const utils = trpc.useUtils();
  const options = {
    onMutate: async ({ username }: { username: string }) => {
      await utils.admin.pendingCreators.cancel();
      const previous = utils.admin.pendingCreators.getData();
      utils.admin.pendingCreators.setData(undefined, (rows) => rows?.filter((row) => row.username !== username));
      return { previous };
    },
    onError: (error: unknown, { username }: { username: string }, context: { previous?: Pending[] } | undefined) => {
      utils.admin.pendingCreators.setData(undefined, context?.previous);
      toast.error(`Couldn't ${kind} ${username}: ${errorMessage(error)}`);
    },
    onSuccess: (_: unknown, { username }: { username: string }) => {
      toast.success(kind === "approve" ? `${username} is now a creator` : `${username}'s application was rejected`);
    },
    onSettled: () => {
      void utils.admin.pendingCreators.invalidate();
      // Approving yourself: Go Live and Dashboard show at once.
      void utils.account.me.invalidate();
    },
  };
  return options;
}

export function PendingCreators() {
  const pending = trpc.admin.pendingCreators.useQuery();
  const approve = trpc.admin.approveCreator.useMutation(useDecisionOptions("approve"));
  const reject = trpc.admin.rejectCreator.useMutation(useDecisionOptions("reject"));
  const [now] = useState(() => Date.now());

  return (
    <Card>
      <CardHeader className="flex-row items-center justify-between">
        <div className="grid gap-1">
          <CardTitle>Creator applications</CardTitle>
          <CardDescription>Oldest first.</CardDescription>
        </div>
        {pending.data && pending.data.length > 0 && (
          <span
            className="rounded-full bg-primary/15 px-2.5 py-1 text-xs font-bold text-brand"
            aria-label={`${pending.data.length} pending`}
          >
            {pending.data.length}
          </span>
        )}
      </CardHeader>
      <div className="border-t border-border">
        {pending.isPending ? (
          <div className="grid gap-4 p-5" role="status" aria-label="Loading applications">
            {[0, 1, 2].map((i) => (
              <Skeleton key={i} className="h-12 w-full" />
            ))}
          </div>
        ) : pending.isError ? (
          <ErrorState error={pending.error} onRetry={() => void pending.refetch()} className="m-5" />
        ) : pending.data.length === 0 ? (
          <div className="flex flex-col items-center gap-2 px-6 py-12 text-center">
            <Inbox className="size-8 text-muted-foreground" aria-hidden />
            <p className="font-semibold">No applications waiting</p>
            <p className="text-sm text-muted-foreground">New requests to become a creator show up here.</p>
          </div>
        ) : (
          <ul className="divide-y divide-border" aria-label="Pending applications">
            {pending.data.map((row) => (
              <li
                key={row.username}
                className="flex min-w-0 flex-col gap-3 px-5 py-4 sm:flex-row sm:items-center"
                data-testid={`pending-${row.username}`}
              >
                <div className="flex w-full min-w-0 flex-1 items-center gap-3">
                  <Avatar name={row.username ?? "?"} />
                  <div className="min-w-0">
                    <p className="truncate font-semibold">{row.username}</p>
                    <p className="truncate text-sm text-muted-foreground">
                      {row.email} · applied {timeAgo(row.requestedAt, now)}
                    </p>
                  </div>
                </div>
                <div className="flex gap-2">
                  <Button
                    size="sm"
                    variant="success"
                    className="flex-1 sm:flex-none"
                    onClick={() => approve.mutate({ username: row.username ?? "" })}
                    aria-label={`Approve ${row.username}`}
                  >
                    <Check /> Approve
                  </Button>
                  <Button
                    size="sm"
                    variant="destructive"
                    className="flex-1 sm:flex-none"
                    onClick={() => reject.mutate({ username: row.username ?? "" })}
                    aria-label={`Reject ${row.username}`}
                  >
                    <X /> Reject
                  </Button>
                </div>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}
