import { MonitorUp, RotateCw, Trash2 } from "lucide-react";
import { useState } from "react";
import { toast } from "../../lib/toast";
import type { RouterOutputs } from "@onair/api";
import { EmptyState, ErrorState } from "../../components/states";
import { Alert } from "../../components/ui/alert";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "../../components/ui/card";
import { Skeleton } from "../../components/ui/skeleton";
import { ConfirmDialog } from "../../features/live/confirm-dialog";
import { errorMessage } from "../../lib/errors";
import { trpc } from "../../lib/trpc";
import { CopyField } from "./software-key";
import { SoftwareHealth } from "./software-health";

type Ingress = NonNullable<RouterOutputs["ingress"]["get"]>;
type Kind = Ingress["kind"];

const kinds: Record<Kind, { name: string; blurb: string }> = {
  rtmp: { name: "RTMP", blurb: "Works with OBS, Streamlabs, vMix, hardware encoders: almost any streaming software." },
  whip: { name: "WHIP", blurb: "WebRTC from OBS 30 or newer: lower latency, no transcoding." },
};

/** Dashboard → Streaming software: the creator's ingress (server URL and stream key) and the OBS settings. */
export default function StreamingSoftwarePage() {
  const available = trpc.ingress.available.useQuery();
  // Polled: the ingress's health (waiting / receiving / live, the incoming video) follows the software.
  const current = trpc.ingress.get.useQuery(undefined, { enabled: available.data === true, refetchInterval: 5000 });
  if (available.isPending || (available.data && current.isPending)) {
    return <Skeleton className="h-[420px] w-full max-w-4xl rounded-lg" role="status" aria-label="Loading streaming software" />;
  }
  if (available.isError) return <ErrorState error={available.error} onRetry={() => void available.refetch()} />;
  if (!available.data) {
    return (
      <EmptyState icon={<MonitorUp />} title="Streaming software is off on this server">
        This OnAir server has no LiveKit ingress service (<code>INGRESS=off</code>). Go live from the browser instead.
      </EmptyState>
    );
  }
  if (current.isError) return <ErrorState error={current.error} onRetry={() => void current.refetch()} />;
  return (
    <div className="grid max-w-4xl gap-6">
      <title>Streaming software · OnAir</title>
      {current.data ? <IngressCard ingress={current.data} /> : <CreateIngress />}
    </div>
  );
}

function useCreate() {
  const utils = trpc.useUtils();
  return trpc.ingress.create.useMutation({
    onSuccess: async (created) => {
      toast.success(`New ${kinds[created.kind].name} stream key ready`);
      await utils.ingress.get.invalidate();
    },
    onError: (error) => toast.error(errorMessage(error)),
  });
}

function CreateIngress() {
  const create = useCreate();
  return (
    <Card>
      <CardHeader>
        <CardTitle>Stream from OBS or other software</CardTitle>
        <CardDescription>
          Get a server URL and a stream key for your streaming software. When it starts streaming, your channel goes live, with the same
          chat, gifts and viewers as from the browser.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3 sm:grid-cols-2">
        {(Object.keys(kinds) as Kind[]).map((kind) => (
          <div key={kind} className="grid gap-3 rounded-lg border border-border p-4">
            <p className="font-semibold">{kinds[kind].name}</p>
            <p className="text-sm text-muted-foreground">{kinds[kind].blurb}</p>
            <Button
              onClick={() => create.mutate({ kind })}
              pending={create.isPending && create.variables.kind === kind}
              disabled={create.isPending}
            >
              Create {kinds[kind].name} key
            </Button>
          </div>
        ))}
      </CardContent>
    </Card>
  );
}

function IngressCard({ ingress }: { ingress: Ingress }) {
  const utils = trpc.useUtils();
  const create = useCreate();
  const remove = trpc.ingress.delete.useMutation({
    onSuccess: async () => {
      toast.success("Stream key deleted");
      setAsking(null);
      await utils.ingress.get.invalidate();
    },
    onError: (error) => toast.error(errorMessage(error)),
  });
  const [asking, setAsking] = useState<"reset" | "delete" | null>(null);
  const whip = ingress.kind === "whip";
  const keyLabel = whip ? "Bearer token" : "Stream key";

  return (
    <Card data-testid="ingress-card">
      <CardHeader>
        <div className="flex flex-wrap items-center gap-2">
          <CardTitle>Your streaming software key</CardTitle>
          <Badge>{kinds[ingress.kind].name}</Badge>
        </div>
        <CardDescription>Anyone with this key can stream to your channel: keep it to yourself, and reset it if it leaks.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-5">
        <SoftwareHealth health={ingress.health} />
        <CopyField id="ingress-url" label="Server" value={ingress.url} />
        <CopyField id="ingress-key" label={keyLabel} value={ingress.streamKey} secret />
        <div className="grid gap-2 rounded-lg bg-accent/40 p-4 text-sm">
          <p className="font-semibold">In OBS{whip ? " 30 or newer" : ""}: Settings → Stream</p>
          <ol className="grid list-decimal gap-1 pl-5 text-muted-foreground">
            <li>
              Service: <strong className="text-foreground">{whip ? "WHIP" : "Custom…"}</strong>
            </li>
            <li>
              Server: <strong className="break-all text-foreground">{ingress.url}</strong>
            </li>
            <li>
              {keyLabel}: <strong className="text-foreground">your {keyLabel.toLowerCase()} above</strong>
            </li>
            <li>
              Press <strong className="text-foreground">Start Streaming</strong>: your channel goes live within seconds.
            </li>
          </ol>
          {!whip && <p className="text-muted-foreground">Other software: use the same server URL and stream key (RTMP).</p>}
        </div>
        {ingress.refusedAt && (
          <Alert>
            Your software connected at {ingress.refusedAt.toLocaleTimeString()} while you were live from the browser, and was turned away:
            one source at a time. End the browser stream first.
          </Alert>
        )}
      </CardContent>
      <CardFooter className="flex-wrap">
        <Button variant="outline" onClick={() => setAsking("reset")}>
          <RotateCw aria-hidden /> Reset key
        </Button>
        <Button variant="destructive" onClick={() => setAsking("delete")}>
          <Trash2 aria-hidden /> Delete
        </Button>
      </CardFooter>
      <ConfirmDialog
        open={asking === "reset"}
        onOpenChange={(open) => !open && setAsking(null)}
        title="Reset your stream key?"
        confirmLabel="Reset key"
        pending={create.isPending}
        onConfirm={() => create.mutate({ kind: ingress.kind }, { onSuccess: () => setAsking(null) })}
      >
        The current key stops working at once: put the new one in your software. If it's streaming now, that stream ends.
      </ConfirmDialog>
      <ConfirmDialog
        open={asking === "delete"}
        onOpenChange={(open) => !open && setAsking(null)}
        title="Delete your stream key?"
        confirmLabel="Delete"
        pending={remove.isPending}
        onConfirm={() => remove.mutate()}
      >
        Your software can no longer stream to your channel. If it's streaming now, that stream ends. You can create a new key any time.
      </ConfirmDialog>
    </Card>
  );
}
