import { Loader2, UserMinus, UsersRound } from "lucide-react";
import { Button } from "../../components/ui/button";
import { Card } from "../../components/ui/card";
import { trpc } from "../../lib/trpc";
import { MAX_STAGE_GUESTS } from "./stage-tiles";
import { useRemoveGuest } from "./use-stage-actions";

/** The live studio's stage: who is on it (refreshed every 10 s), Remove for each, and how to invite. */
export function StudioStage({ channel }: { channel: string }) {
  const list = trpc.stage.list.useQuery({ username: channel }, { refetchInterval: 10_000 });
  const remove = useRemoveGuest(channel);
  const guests = list.data ?? [];
  return (
    <Card className="grid gap-3 p-4 sm:p-5" data-testid="studio-stage">
      <div className="flex items-center justify-between gap-2">
        <h3 className="flex items-center gap-2 text-sm font-semibold">
          <UsersRound className="size-4 text-muted-foreground" aria-hidden /> Guests on stage
        </h3>
        <span className="text-xs text-muted-foreground tabular-nums">
          {guests.length}/{MAX_STAGE_GUESTS}
        </span>
      </div>
      {list.isPending ? (
        <p className="flex items-center gap-2 text-sm text-muted-foreground" role="status">
          <Loader2 className="size-4 animate-spin" aria-hidden /> Loading…
        </p>
      ) : guests.length === 0 ? (
        <p className="text-sm text-muted-foreground">
          Nobody yet. To bring a viewer on camera, open the menu (⋮) next to one of their chat messages and choose Invite on stage.
        </p>
      ) : (
        <ul className="grid gap-2">
          {guests.map((guest) => (
            <li key={guest.username} className="flex items-center gap-3 text-sm">
              <span className="min-w-0 flex-1 truncate font-medium">{guest.username}</span>
              <Button
                variant="destructive"
                size="sm"
                pending={remove.isPending && remove.variables?.username === guest.username}
                onClick={() => remove.mutate({ username: guest.username })}
                aria-label={`Remove ${guest.username} from stage`}
              >
                <UserMinus /> Remove
              </Button>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
