import { ExternalLink, MonitorUp, Square, Users } from "lucide-react";
import { useState } from "react";
import { Link } from "react-router";
import { toast } from "../../lib/toast";
import type { PublicStream, RouterOutputs } from "@onair/api";
import { ChatPanel } from "../../features/chat/chat-panel";
import { BroadcastTotal } from "../../features/gifts/broadcast-total";
import { Alert } from "../../components/ui/alert";
import { LiveBadge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card } from "../../components/ui/card";
import { ConfirmDialog } from "../../features/live/confirm-dialog";
import { LiveClock } from "../../features/live/live-clock";
import { errorMessage } from "../../lib/errors";
import { useStreamStatus } from "../../lib/status-stream";
import { trpc } from "../../lib/trpc";
import { formatCount } from "../../lib/utils";

type Stream = NonNullable<RouterOutputs["stream"]["mine"]>;

/** The channel's view while streaming software feeds its open broadcast, else null (live from stream.onStatus). */
export function useSoftwareBroadcast(stream: Stream): PublicStream | null {
  const software = (view: PublicStream) => (view.isLive && view.mode === "ingress" ? view : null);
  const [view, setView] = useState(() => software(stream));
  useStreamStatus(stream.username, (next) => setView(software(next)));
  return view;
}

/** The Go Live studio for a broadcast fed by OBS (or other software): state, clock, viewers, gifts, chat, End stream. */
export function SoftwareStudio({ stream, view }: { stream: Stream; view: PublicStream }) {
  const [confirming, setConfirming] = useState(false);
  const utils = trpc.useUtils();
  const end = trpc.stream.end.useMutation({
    onSuccess: ({ stream: ended }) => {
      utils.stream.mine.setData(undefined, ended);
      setConfirming(false);
      toast.success("Stream ended");
    },
    onError: (error) => toast.error(`Couldn't end the stream: ${errorMessage(error)}. Try again.`),
  });
  const since = view.liveSince ?? new Date();

  return (
    <div className="grid grid-cols-1 gap-6 xl:grid-cols-[minmax(0,1fr)_320px]">
      <title>🔴 Live · OnAir</title>
      <section aria-labelledby="software-heading" className="grid min-w-0 grid-cols-1 content-start gap-4" data-testid="software-studio">
        <div className="flex flex-wrap items-center gap-x-4 gap-y-3">
          <h2 id="software-heading" className="sr-only">
            You're live from your streaming software
          </h2>
          <div className="flex items-center gap-2 text-sm font-semibold">
            <LiveBadge className="px-2 py-1 text-xs" />
            <LiveClock since={since} />
          </div>
          <span className="inline-flex items-center gap-1.5 text-sm text-muted-foreground" data-testid="live-viewers">
            <Users className="size-4" aria-hidden /> <span className="font-semibold text-foreground">{formatCount(view.viewerCount)}</span>{" "}
            watching
          </span>
          <BroadcastTotal username={stream.username} />
          <Button variant="destructive" className="ml-auto" onClick={() => setConfirming(true)}>
            <Square className="fill-current !size-3.5" aria-hidden /> End stream
          </Button>
        </div>

        <div className="flex w-full flex-col items-center justify-center gap-3 rounded-xl border border-border bg-black/40 px-6 py-10 text-center sm:aspect-video">
          <MonitorUp className="size-10 text-primary" aria-hidden />
          <p className="text-lg font-semibold">Live from your streaming software</p>
          <p className="text-sm text-muted-foreground" data-testid="software-media" role="status">
            {view.isPublishing
              ? "Your software's picture and sound reach viewers."
              : "Connected: waiting for your software's picture and sound…"}
          </p>
        </div>

        <Alert>Stop streaming in OBS to end the broadcast; a reconnect within 15 seconds carries on the same one.</Alert>

        <Card className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center sm:p-5">
          <div className="min-w-0 flex-1">
            <p className="text-xs font-medium text-muted-foreground">On air as</p>
            <p className="truncate font-semibold" data-testid="live-title">
              {view.title}
            </p>
          </div>
          <div className="flex flex-wrap gap-2">
            <Button asChild variant="outline" size="sm">
              <Link to="/dashboard/software">Stream key</Link>
            </Button>
            <Button asChild variant="outline" size="sm">
              <Link to={`/${stream.username}`} target="_blank" rel="noopener">
                Watch as a viewer <ExternalLink aria-hidden />
                <span className="sr-only">(opens in a new tab)</span>
              </Link>
            </Button>
          </div>
        </Card>
      </section>
      <div className="h-[420px] xl:sticky xl:top-20 xl:h-[calc(100dvh-8rem)] xl:min-h-[480px] [&>*]:h-full">
        <ChatPanel username={stream.username} />
      </div>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title="End your stream?"
        confirmLabel="End stream"
        cancelLabel="Keep streaming"
        pending={end.isPending}
        onConfirm={() => end.mutate()}
      >
        Viewers are disconnected and your software is cut off. Stop streaming in OBS too, or it reconnects and starts a new broadcast.
      </ConfirmDialog>
    </div>
  );
}

/** During a browser broadcast: says so when streaming software tried to connect and was turned away. */
export function SoftwareRefusedNotice({ since }: { since: Date }) {
  const available = trpc.ingress.available.useQuery(undefined, { staleTime: Infinity });
  const ingress = trpc.ingress.get.useQuery(undefined, { enabled: available.data === true, refetchInterval: 10_000 });
  const refusedAt = ingress.data?.refusedAt;
  if (!refusedAt || refusedAt < since) return null;
  return (
    <Alert variant="error" className="mb-4" data-testid="software-refused">
      Your streaming software tried to go live at {refusedAt.toLocaleTimeString()} and was turned away: you're live from the browser. One
      source at a time: end this stream first to go live from OBS.
    </Alert>
  );
}
