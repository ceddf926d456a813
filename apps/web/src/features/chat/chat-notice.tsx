import { Ban, Clock, Heart, LogIn, MessageSquareOff } from "lucide-react";
import type { ReactNode } from "react";
import { Link } from "react-router";
import type { PublicStream } from "@onair/api";
import { cn } from "../../lib/utils";
import { FollowButton } from "../../components/follow-button";

interface Permission {
  canSend: boolean;
  reason: string | null;
  isModerator: boolean;
  channelRole: "owner" | "moderator" | null;
  isChatDelayed: boolean;
  slowModeSeconds: number;
}

function Notice({
  id,
  icon,
  tone = "info",
  children,
}: {
  id: string;
  icon: ReactNode;
  tone?: "info" | "warn" | "danger";
  children: ReactNode;
}) {
  return (
    <div
      id={id}
      role="status"
      data-testid="chat-notice"
      className={cn(
        "flex items-start gap-2.5 border-t border-border px-3 py-2.5 text-sm [&>svg]:mt-0.5 [&>svg]:size-4 [&>svg]:shrink-0",
        tone === "info" && "bg-accent/40 text-muted-foreground",
        tone === "warn" && "bg-amber-500/10 text-amber-200",
        tone === "danger" && "bg-red-500/10 text-red-200",
      )}
    >
      {icon}
      <div className="min-w-0 flex-1">{children}</div>
    </div>
  );
}

/**
 * The state of the chat for this viewer, above the input: signed out, chat off, followers-only (with a
 * Follow button), banned or timed out (the server's words), or the slow-mode reminder.
 */
export function ChatNotice({
  id,
  username,
  permission,
  channel,
}: {
  id: string;
  username: string;
  permission: Permission | undefined;
  channel: PublicStream | undefined;
}) {
  if (!permission) return null;
  const { canSend, reason } = permission;
  if (!canSend) {
    if (reason === "Sign in to chat") {
      return (
        <Notice id={id} icon={<LogIn />}>
          <Link
            to={`/sign-in?next=${encodeURIComponent(`/${username}`)}`}
            className="font-semibold text-brand underline-offset-4 hover:underline"
          >
            Sign in
          </Link>{" "}
          to chat
        </Notice>
      );
    }
    if (channel && !channel.isChatEnabled) {
      return (
        <Notice id={id} icon={<MessageSquareOff />}>
          {reason ?? "Chat is turned off for this channel"}
        </Notice>
      );
    }
    if (/follow to chat/i.test(reason ?? "")) {
      return (
        <Notice id={id} icon={<Heart />} tone="warn">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <span>{reason}</span>
            <FollowButton username={username} size="sm" />
          </div>
        </Notice>
      );
    }
    if (/followers/i.test(reason ?? ""))
      return (
        <Notice id={id} icon={<Heart />} tone="warn">
          {reason}
        </Notice>
      );
    return (
      <Notice id={id} icon={<Ban />} tone="danger">
        {reason ?? "You can't chat here right now"}
      </Notice>
    );
  }
  if (permission.isChatDelayed) {
    return (
      <Notice id={id} icon={<Clock />}>
        Slow mode: one message every {permission.slowModeSeconds}s{permission.channelRole === "owner" ? " (you're exempt)" : ""}
      </Notice>
    );
  }
  if (channel?.isChatFollowersOnly) {
    return (
      <Notice id={id} icon={<Heart />}>
        Followers-only chat
      </Notice>
    );
  }
  return null;
}
