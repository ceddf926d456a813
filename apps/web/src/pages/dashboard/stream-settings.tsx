import { ErrorState } from "../../components/states";
import { Skeleton } from "../../components/ui/skeleton";
import { trpc } from "../../lib/trpc";
import { ChatSettingsCard } from "./chat-settings";
import { StreamDetailsForm } from "./details-form";

export default function StreamSettingsPage() {
  const mine = trpc.stream.mine.useQuery();

  if (mine.isPending) {
    return (
      <div className="grid max-w-4xl gap-6" role="status" aria-label="Loading stream settings">
        <Skeleton className="h-[420px] w-full rounded-lg" />
        <Skeleton className="h-64 w-full rounded-lg" />
      </div>
    );
  }
  if (mine.isError) return <ErrorState error={mine.error} onRetry={() => void mine.refetch()} />;

  const stream = mine.data;
  return (
    <div className="grid max-w-4xl gap-6">
      <title>Stream settings · OnAir</title>
      <StreamDetailsForm
        key={stream?.id ?? "new"}
        initial={{ title: stream?.title ?? "", description: stream?.description ?? "", thumbnail: stream?.thumbnail ?? "" }}
        name={stream?.displayName ?? ""}
      />
      {stream && <ChatSettingsCard stream={stream} />}
    </div>
  );
}
