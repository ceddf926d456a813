import { Radio } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import type { RouterOutputs } from "@onair/api";
import { ChatPanel } from "../../features/chat/chat-panel";
import { EmptyState, ErrorState } from "../../components/states";
import { Button } from "../../components/ui/button";
import { Skeleton } from "../../components/ui/skeleton";
import { ConfirmDialog } from "../../features/live/confirm-dialog";
import { useGoLive, type Phase } from "../../features/live/use-go-live";
import { useLocalMedia } from "../../features/live/use-local-media";
import { useLeaveGuard } from "../../lib/navigation-guard";
import { useStreamStatus } from "../../lib/status-stream";
import { trpc } from "../../lib/trpc";
import { GoLivePreview } from "./go-live-preview";
import { GoLiveStudio } from "./go-live-studio";
import { SoftwareRefusedNotice, SoftwareStudio, useSoftwareBroadcast } from "./software-studio";

type Stream = NonNullable<RouterOutputs["stream"]["mine"]>;

export default function GoLivePage() {
  // Always fresh: whether the stream is live right now decides between preview and resuming.
  const mine = trpc.stream.mine.useQuery(undefined, { refetchOnMount: "always", staleTime: 0 });
  // A cached answer could say "live" about a broadcast that has since ended: resuming it would start a new one.
  if (mine.isPending || (mine.isFetching && !mine.isFetchedAfterMount)) {
    return (
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_320px]" role="status" aria-label="Loading Go Live">
        <Skeleton className="aspect-video w-full rounded-xl" />
        <Skeleton className="hidden h-96 rounded-xl xl:block" />
      </div>
    );
  }
  if (mine.isError) return <ErrorState error={mine.error} onRetry={() => void mine.refetch()} />;
  if (!mine.data) {
    return (
      <EmptyState
        icon={<Radio />}
        title="Set up your channel first"
        action={
          <Button asChild>
            <Link to="/dashboard">Open stream settings</Link>
          </Button>
        }
      >
        Give your stream a title in the stream settings, then come back here to go live.
      </EmptyState>
    );
  }
  return <GoLiveOrSoftware key={mine.data.id} stream={mine.data} />;
}

/** Streaming software feeding the broadcast gets its own studio; otherwise the browser's. */
function GoLiveOrSoftware({ stream }: { stream: Stream }) {
  const software = useSoftwareBroadcast(stream);
  return software ? <SoftwareStudio stream={stream} view={software} /> : <GoLive stream={stream} />;
}

/** stream.onStatus for the creator's own channel: viewer count, and an end that happened elsewhere. */
function useOwnStatus(username: string, phase: Phase, onEndedElsewhere: () => void) {
  const [viewerCount, setViewerCount] = useState(0);
  const phaseRef = useRef(phase);
  useEffect(() => {
    phaseRef.current = phase;
  }, [phase]);
  const seenLive = useRef<string | null>(null);
  useStreamStatus(username, (status) => {
    setViewerCount(status.viewerCount);
    const current = phaseRef.current;
    if (current.kind !== "live") return;
    if (status.isLive) seenLive.current = current.broadcastId;
    else if (seenLive.current === current.broadcastId) onEndedElsewhere();
  });
  return viewerCount;
}

function GoLive({ stream }: { stream: Stream }) {
  // Resume only a browser broadcast (one fed by software has its own studio).
  const [resume] = useState(stream.isLive && stream.mode === "browser");
  const local = useLocalMedia();
  const ready = local.media.status === "ready" ? local.media : null;
  const session = useGoLive(ready?.video ?? null, ready?.audio ?? null, resume, stream.withoutVideo);
  const viewerCount = useOwnStatus(stream.username, session.phase, session.markEnded);
  const onAir = session.phase.kind === "live" || session.phase.kind === "starting";
  const leaving = useLeaveGuard(session.phase.kind === "live");

  return (
    <div className="grid grid-cols-1 gap-6 xl:grid-cols-[minmax(0,1fr)_320px]">
      <title>{onAir ? "🔴 Live · OnAir" : "Go Live · OnAir"}</title>
      <div className="min-w-0">
        {session.phase.kind === "live" && <SoftwareRefusedNotice since={session.phase.startedAt} />}
        {session.phase.kind === "live" ? (
          <GoLiveStudio stream={stream} phase={session.phase} local={local} session={session} viewerCount={viewerCount} />
        ) : (
          <GoLivePreview
            stream={stream}
            local={local}
            phase={session.phase}
            onGoLive={session.start}
            onGoLiveWithoutVideo={session.startWithoutVideo}
          />
        )}
      </div>
      <div className="h-[420px] xl:sticky xl:top-20 xl:h-[calc(100dvh-8rem)] xl:min-h-[480px] [&>*]:h-full">
        <ChatPanel username={stream.username} />
      </div>
      <ConfirmDialog
        open={leaving.asking}
        onOpenChange={(open) => !open && leaving.stay()}
        title="Leave while you're live?"
        confirmLabel="Leave anyway"
        cancelLabel="Stay live"
        onConfirm={leaving.leave}
      >
        Your camera stops when you leave this page and viewers see the stream pause. If you don't come back within 15 seconds, your stream
        ends.
      </ConfirmDialog>
    </div>
  );
}
