import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../../components/ui/card";
import { RestrictionList } from "../../features/moderation/restriction-list";
import { useModerationLive } from "../../features/moderation/use-moderation-live";

/** Restrictions in force in the channel, each with Lift, kept current as the team acts (`moderation.onChange`). */
export function RestrictionsCard({ channel }: { channel: string }) {
  const live = useModerationLive(channel);
  return (
    <Card data-testid="restrictions" data-live={live}>
      <CardHeader>
        <CardTitle>Restrictions</CardTitle>
        <CardDescription>
          People timed out, banned or blocked in your channel. Restrict someone from a message's menu in chat, or with /timeout and /ban in
          chat; the channel page shows this list and the moderation log to your moderators too.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <RestrictionList channel={channel} canLiftBlocks />
      </CardContent>
    </Card>
  );
}
