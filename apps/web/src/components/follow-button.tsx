import { Heart, HeartOff } from "lucide-react";
import { lazy, Suspense, useState } from "react";
import { Link } from "react-router";
import { toast } from "../lib/toast";
import { errorMessage } from "../lib/errors";
import { trpc } from "../lib/trpc";
import { cn, formatCount } from "../lib/utils";
import { useViewer } from "../lib/viewer";
import { Button } from "./ui/button";

const ALERT_DEFAULTS = { inApp: true, email: false };
// Only followers see it (and its menu code): guests' pages stay light.
const AlertSettings = lazy(() => import("./alert-settings").then((m) => ({ default: m.AlertSettings })));

interface Props {
  username: string;
  size?: "default" | "sm";
  /** Show the follower count next to the label (from `stream.byUsername`). */
  showCount?: boolean;
  className?: string;
}

/**
 * Follow / unfollow a channel. The button and the channel's follower count change at once and roll
 * back if the server refuses. Guests get a link to sign in; nobody sees it on their own channel.
 */
export function FollowButton({ username, size = "default", showCount = false, className }: Props) {
  const viewer = useViewer();
  const utils = trpc.useUtils();
  const [hovered, setHovered] = useState(false);
  const signedIn = viewer.signedIn;
  const status = trpc.follow.status.useQuery({ username }, { enabled: signedIn });
  const channel = trpc.stream.byUsername.useQuery({ username }, { enabled: showCount });

  const mutationOptions = (following: boolean) => ({
    onMutate: async () => {
      await Promise.all([utils.follow.status.cancel({ username }), utils.stream.byUsername.cancel({ username })]);
      const before = { status: utils.follow.status.getData({ username }), channel: utils.stream.byUsername.getData({ username }) };
      utils.follow.status.setData(
        { username },
        { following, since: following ? new Date() : null, alerts: following ? ALERT_DEFAULTS : null },
      );
      utils.stream.byUsername.setData({ username }, (s) =>
        s ? { ...s, followerCount: Math.max(0, s.followerCount + (following ? 1 : -1)) } : s,
      );
      return before;
    },
    onError: (error: unknown, _input: unknown, before: { status?: unknown; channel?: unknown } | undefined) => {
      utils.follow.status.setData({ username }, before?.status as Parameters<typeof utils.follow.status.setData>[1]);
      utils.stream.byUsername.setData({ username }, before?.channel as Parameters<typeof utils.stream.byUsername.setData>[1]);
      toast.error(`${following ? "Follow" : "Unfollow"} failed: ${errorMessage(error)}`);
    },
    onSuccess: (result: { following: boolean; followerCount: number }) => {
      utils.stream.byUsername.setData({ username }, (s) => (s ? { ...s, followerCount: result.followerCount } : s));
      toast.success(result.following ? `You follow ${username}` : `You unfollowed ${username}`);
    },
    onSettled: () => {
      void utils.follow.status.invalidate({ username });
      void utils.follow.following.invalidate();
      // Followers-only chat may have just opened (or closed) for this viewer.
      void utils.chat.permission.invalidate({ username });
    },
  });
  const follow = trpc.follow.follow.useMutation(mutationOptions(true));
  const unfollow = trpc.follow.unfollow.useMutation(mutationOptions(false));

  if (viewer.me && viewer.me.username.toLowerCase() === username.toLowerCase()) return null;
  const count =
    showCount && channel.data ? (
      <span className="rounded bg-black/20 px-1.5 text-xs tabular-nums">{formatCount(channel.data.followerCount)}</span>
    ) : null;

  if (!signedIn && !viewer.isPending) {
    return (
      <Button asChild size={size} className={className}>
        <Link to={`/sign-in?next=${encodeURIComponent(`/${username}`)}`} aria-label={`Sign in to follow ${username}`}>
          <Heart aria-hidden /> Follow {count}
        </Link>
      </Button>
    );
  }

  const following = status.data?.following ?? false;
  const busy = follow.isPending || unfollow.isPending;
  const alerts = following ? status.data?.alerts : null;
  return (
    <>
      <Button
        size={size}
        variant={following ? "secondary" : "default"}
        className={cn("min-w-28", className)}
        disabled={viewer.isPending || status.isPending}
        aria-pressed={following}
        aria-busy={busy || undefined}
        title={following ? `Unfollow ${username}` : `Follow ${username}`}
        onMouseEnter={() => setHovered(true)}
        onMouseLeave={() => setHovered(false)}
        onClick={() => !busy && (following ? unfollow : follow).mutate({ username })}
        data-testid="follow-button"
      >
        {following ? hovered ? <HeartOff aria-hidden /> : <Heart className="fill-current text-brand" aria-hidden /> : <Heart aria-hidden />}
        {following ? (hovered ? "Unfollow" : "Following") : "Follow"}
        {count}
      </Button>
      {alerts && (
        <Suspense>
          <AlertSettings username={username} alerts={alerts} size={size} />
        </Suspense>
      )}
    </>
  );
}
