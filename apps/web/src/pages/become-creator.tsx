import { CheckCircle2, Clock, Radio, Sparkles, Users, Video, XCircle } from "lucide-react";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { toast } from "../lib/toast";
import { ErrorState } from "../components/states";
import { Badge } from "../components/ui/badge";
import { Button } from "../components/ui/button";
import { Card } from "../components/ui/card";
import { Skeleton } from "../components/ui/skeleton";
import { errorMessage } from "../lib/errors";
import { trpc } from "../lib/trpc";
import { useViewer } from "../lib/viewer";

const perks = [
  { icon: Video, title: "Go live from your browser", text: "Camera, microphone or screen — no extra software." },
  { icon: Users, title: "Build your community", text: "Followers, live chat with slow mode and follower-only rules." },
  { icon: Sparkles, title: "Your own channel", text: "A page at your username with your title and artwork." },
];

export function BecomeCreatorPage() {
  const viewer = useViewer();
  return (
    <div className="mx-auto grid max-w-5xl grid-cols-1 gap-8 lg:grid-cols-[minmax(0,1.1fr)_minmax(0,1fr)] lg:items-start">
      <title>Become a creator · OnAir</title>
      <section>
        <p className="text-xs font-bold tracking-[0.2em] text-brand uppercase">Creators</p>
        <h1 className="mt-2 text-3xl font-bold tracking-tight sm:text-4xl">Take the stage on OnAir</h1>
        <p className="mt-3 max-w-xl text-muted-foreground">
          Creators can go live to everyone on OnAir. Apply once — an admin reviews every request to keep the community safe — and your
          channel opens as soon as you're approved.
        </p>
        <ul className="mt-8 grid gap-5">
          {perks.map(({ icon: Icon, title, text }) => (
            <li key={title} className="flex gap-4">
              <span className="flex size-10 shrink-0 items-center justify-center rounded-lg bg-primary/10 text-brand">
                <Icon className="size-5" aria-hidden />
              </span>
              <div>
                <p className="font-semibold">{title}</p>
                <p className="text-sm text-muted-foreground">{text}</p>
              </div>
            </li>
          ))}
        </ul>
      </section>
      <Card className="p-6 sm:p-7">
        {viewer.isPending ? (
          <div className="grid gap-3" role="status" aria-label="Loading">
            <Skeleton className="h-6 w-40" />
            <Skeleton className="h-4 w-full" />
            <Skeleton className="h-10 w-36" />
          </div>
        ) : viewer.signedIn ? (
          <ApplicationStatus />
        ) : (
          <Panel icon={<Radio className="text-brand" />} title="Sign in to apply">
            <p>You need an OnAir account to become a creator. It takes a few seconds.</p>
            <div className="mt-5 flex flex-wrap gap-3">
              <Button asChild>
                <Link to="/sign-up?next=/become-creator">Create an account</Link>
              </Button>
              <Button asChild variant="secondary">
                <Link to="/sign-in?next=/become-creator">Sign in</Link>
              </Button>
            </div>
          </Panel>
        )}
      </Card>
    </div>
  );
}

function Panel({ icon, title, badge, children }: { icon: ReactNode; title: string; badge?: ReactNode; children: ReactNode }) {
  return (
    <div>
      <div className="flex items-center gap-3">
        <span className="flex size-10 items-center justify-center rounded-full bg-accent [&_svg]:size-5">{icon}</span>
        <h2 className="text-lg font-semibold">{title}</h2>
      </div>
      {badge && <div className="mt-4">{badge}</div>}
      <div className="mt-3 text-sm leading-relaxed text-muted-foreground">{children}</div>
    </div>
  );
}

function ApplicationStatus() {
  const utils = trpc.useUtils();
  // "This page updates when you come back to it."
  const status = trpc.creator.status.useQuery(undefined, { refetchOnWindowFocus: true });
  const apply = trpc.creator.requestApproval.useMutation({
    onSuccess: (result) => {
      utils.creator.status.setData(undefined, { status: result.status });
      void utils.account.me.invalidate();
      toast.success(result.status === "approved" ? "You're already a creator!" : "Application sent — an admin will review it.");
    },
    onError: (error) => toast.error(errorMessage(error)),
  });

  if (status.isPending) return <Skeleton className="h-32 w-full" />;
  if (status.isError) return <ErrorState error={status.error} onRetry={() => void status.refetch()} className="border-0 py-6" />;

  const applyButton = (label: string) => (
    <Button className="mt-5" pending={apply.isPending} onClick={() => apply.mutate()}>
      <Sparkles /> {label}
    </Button>
  );

  switch (status.data.status) {
    case "approved":
      return (
        <Panel
          icon={<CheckCircle2 className="text-green-400" />}
          title="You're a creator"
          badge={
            <Badge variant="success" data-testid="creator-status">
              Approved
            </Badge>
          }
        >
          <p>Your channel is open. Set your stream title and artwork, then go live.</p>
          <Button asChild className="mt-5">
            <Link to="/dashboard">
              <Radio /> Open your dashboard
            </Link>
          </Button>
        </Panel>
      );
    case "pending":
      return (
        <Panel
          icon={<Clock className="text-amber-300" />}
          title="Application received"
          badge={
            <Badge variant="pending" data-testid="creator-status">
              Pending review
            </Badge>
          }
        >
          <p>An admin will review your request soon. This page updates when you come back to it.</p>
          <Button
            variant="secondary"
            className="mt-5"
            pending={status.isFetching}
            onClick={() => {
              void status.refetch();
              void utils.account.me.invalidate();
            }}
          >
            Check again
          </Button>
        </Panel>
      );
    case "rejected":
      return (
        <Panel
          icon={<XCircle className="text-red-300" />}
          title="Not approved this time"
          badge={
            <Badge variant="danger" data-testid="creator-status">
              Not approved
            </Badge>
          }
        >
          <p>Your last application wasn't approved. You're welcome to apply again.</p>
          {applyButton("Apply again")}
        </Panel>
      );
    default:
      return (
        <Panel
          icon={<Radio className="text-brand" />}
          title="Ready when you are"
          badge={<Badge data-testid="creator-status">Not applied</Badge>}
        >
          <p>Send your application and an admin will review it. You'll keep watching and chatting as usual meanwhile.</p>
          {applyButton("Apply to become a creator")}
        </Panel>
      );
  }
}
