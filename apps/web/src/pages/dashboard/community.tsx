import { ErrorState } from "../../components/states";
import { Skeleton } from "../../components/ui/skeleton";
import { useViewer } from "../../lib/viewer";
import { ModeratorsCard } from "./moderators-card";
import { RestrictionsCard } from "./restrictions-card";

/** The channel's community: who is restricted (with Lift) and the moderator team (add, remove). */
export default function CommunityPage() {
  const viewer = useViewer();
  const channel = viewer.me?.username;
  if (viewer.error) return <ErrorState error={viewer.error} onRetry={() => void viewer.refetch()} />;
  if (!channel) return <Skeleton className="h-64 w-full max-w-4xl rounded-lg" role="status" aria-label="Loading community" />;
  return (
    <div className="grid max-w-4xl gap-6">
      <title>Community · OnAir</title>
      <RestrictionsCard channel={channel} />
      <ModeratorsCard channel={channel} />
    </div>
  );
}
