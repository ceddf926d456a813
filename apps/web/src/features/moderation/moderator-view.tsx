import { Shield } from "lucide-react";
import { useId } from "react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../../components/ui/card";
import { trpc } from "../../lib/trpc";
import { ModerationLog } from "./moderation-log";
import { RestrictionList } from "./restriction-list";
import { useModerationLive } from "./use-moderation-live";

/**
 * The channel page's view for its creator and moderators (nobody else sees it): who is restricted,
 * with Lift, and the moderation log, both kept current by `moderation.onChange`.
 */
export function ModeratorView({ channel }: { channel: string }) {
  // Already loaded by the chat panel: the caller's standing in this channel.
  const role = trpc.chat.permission.useQuery({ username: channel }).data?.channelRole ?? null;
  if (role === null) return null;
  return <TeamView channel={channel} owner={role === "owner"} />;
}

function TeamView({ channel, owner }: { channel: string; owner: boolean }) {
  const live = useModerationLive(channel);
  const id = useId();
  return (
    <Card data-testid="moderator-view" data-live={live} className="min-w-0">
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Shield className="size-4 text-muted-foreground" aria-hidden /> Moderation
        </CardTitle>
        <CardDescription>Only you and the channel's moderators see this. It updates as anyone on the team acts.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-6">
        <section aria-labelledby={`${id}-restrictions`} data-testid="restrictions" className="min-w-0">
          <h3 id={`${id}-restrictions`} className="mb-2 text-sm font-semibold tracking-wide text-muted-foreground uppercase">
            Restrictions
          </h3>
          <RestrictionList channel={channel} canLiftBlocks={owner} />
        </section>
        <section aria-labelledby={`${id}-log`} data-testid="moderation-log" className="min-w-0">
          <h3 id={`${id}-log`} className="mb-2 text-sm font-semibold tracking-wide text-muted-foreground uppercase">
            Log
          </h3>
          <ModerationLog channel={channel} />
        </section>
      </CardContent>
    </Card>
  );
}
