import { Shield, UserPlus } from "lucide-react";
import { useState, type FormEvent } from "react";
import { toast } from "../../lib/toast";
import { ErrorState } from "../../components/states";
import { Button } from "../../components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../../components/ui/card";
import { Field, hintId } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { Skeleton } from "../../components/ui/skeleton";
import { errorMessage, fieldErrors } from "../../lib/errors";
import { trpc } from "../../lib/trpc";

/** The channel's moderators: appoint by username, remove from the list. */
export function ModeratorsCard({ channel }: { channel: string }) {
  const utils = trpc.useUtils();
  const [username, setUsername] = useState("");
  const team = trpc.moderation.moderators.useQuery({ channel });
  const refresh = () => void utils.moderation.moderators.invalidate({ channel });
  const add = trpc.moderation.addModerator.useMutation({
    onSuccess: (result) => {
      toast.success(result.changed ? `${result.username} is now a moderator` : `${result.username} is a moderator already`);
      setUsername("");
      refresh();
    },
  });
  const remove = trpc.moderation.removeModerator.useMutation({
    onSuccess: (result) => {
      toast.success(`${result.username} is no longer a moderator`);
      refresh();
    },
    onError: (error, input) => toast.error(`Removing ${input.username} failed: ${errorMessage(error)}`),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate({ channel, username: username.trim().replace(/^@/, "") });
  }
  const error = add.error ? (fieldErrors(add.error).username?.join(", ") ?? errorMessage(add.error)) : undefined;

  return (
    <Card data-testid="moderators">
      <CardHeader>
        <CardTitle>Moderators</CardTitle>
        <CardDescription>
          Moderators can delete messages, time out, ban and unban in your chat. Only you change settings, block viewers and appoint
          moderators.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <form onSubmit={submit} noValidate className="flex flex-col gap-3 sm:flex-row sm:items-end">
          <Field id="moderator-username" label="Username" error={error} className="flex-1">
            <Input
              id="moderator-username"
              value={username}
              onChange={(e) => {
                setUsername(e.target.value);
                if (add.error) add.reset();
              }}
              placeholder="e.g. nightowl"
              autoCapitalize="none"
              spellCheck={false}
              aria-invalid={Boolean(error)}
              aria-describedby={hintId("moderator-username")}
            />
          </Field>
          <Button type="submit" pending={add.isPending} disabled={!username.trim()}>
            <UserPlus /> Add moderator
          </Button>
        </form>
        {team.isPending ? (
          <Skeleton className="h-12 w-full" role="status" aria-label="Loading moderators" />
        ) : team.isError ? (
          <ErrorState error={team.error} onRetry={() => void team.refetch()} />
        ) : team.data.length === 0 ? (
          <p className="text-sm text-muted-foreground">No moderators yet.</p>
        ) : (
          <ul className="divide-y divide-border">
            {team.data.map((moderator) => (
              <li key={moderator.username} data-testid="moderator" className="flex items-center justify-between gap-3 py-3">
                <span className="flex min-w-0 items-center gap-2 font-semibold">
                  <Shield className="size-4 shrink-0 text-emerald-400" aria-hidden />
                  <span className="truncate">{moderator.username}</span>
                </span>
                <Button
                  variant="secondary"
                  size="sm"
                  aria-label={`Remove ${moderator.username} as moderator`}
                  pending={remove.isPending && remove.variables?.username === moderator.username}
                  onClick={() => remove.mutate({ channel, username: moderator.username })}
                >
                  Remove
                </Button>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
