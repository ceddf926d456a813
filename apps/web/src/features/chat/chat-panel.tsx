import { Loader2, MessageSquare, RotateCw, WifiOff } from "lucide-react";
import { useId } from "react";
import { errorMessage } from "../../lib/errors";
import { cn } from "../../lib/utils";
import { useViewer } from "../../lib/viewer";
import { Button } from "../../components/ui/button";
import { ReactionBar } from "../reactions/reaction-bar";
import { ChatComposer } from "./chat-composer";
import { ChatNotice } from "./chat-notice";
import { ModerationNotices } from "./moderation-notices";
import { MessageList } from "./message-list";
import { useChatFeed } from "./use-chat-feed";
import { useChatRules } from "./use-chat-rules";

/** A channel's live chat: history, live messages, the viewer's rules and the input. */
export function ChatPanel({ username, className }: { username: string; className?: string }) {
  return (
    <aside
      aria-label="Stream chat"
      data-testid="chat-panel"
      className={cn("flex h-full min-h-[420px] flex-col overflow-hidden rounded-xl border border-border bg-card", className)}
    >
      <ChatBody key={username} username={username} />
    </aside>
  );
}

function ChatBody({ username }: { username: string }) {
  const noticeId = useId();
  const viewer = useViewer();
  const feed = useChatFeed(username);
  const { permission, channel, refetchPermission } = useChatRules(username);
  const rules = permission.data;
  const refusal = rules
    ? rules.canSend
      ? null
      : (rules.reason ?? "You can't chat here right now")
    : permission.isError
      ? errorMessage(permission.error)
      : "Loading chat…";
  // Slow mode spares the creator and admins (not appointed moderators).
  const cooldown = rules && rules.isChatDelayed && rules.channelRole !== "owner" ? rules.slowModeSeconds : 0;

  return (
    <>
      <header
        data-subscribed={feed.subscribed}
        className="flex h-12 shrink-0 items-center justify-between gap-2 border-b border-border px-4"
      >
        <h2 className="flex items-center gap-2 text-sm font-semibold">
          <MessageSquare className="size-4 text-muted-foreground" aria-hidden /> Stream chat
        </h2>
        {feed.status === "reconnecting" && (
          <span className="inline-flex items-center gap-1.5 text-xs text-amber-300" role="status">
            <WifiOff className="size-3.5" aria-hidden /> Reconnecting…
          </span>
        )}
      </header>

      {feed.status === "loading" ? (
        <div className="flex flex-1 items-center justify-center" role="status">
          <Loader2 className="size-5 animate-spin text-muted-foreground" aria-hidden />
          <span className="sr-only">Loading chat…</span>
        </div>
      ) : feed.status === "error" ? (
        <div className="flex flex-1 flex-col items-center justify-center gap-3 p-6 text-center text-sm" role="alert">
          <p className="font-semibold">Chat couldn't connect</p>
          <p className="text-muted-foreground">{errorMessage(feed.error)}</p>
          <Button variant="secondary" size="sm" onClick={feed.retry}>
            <RotateCw /> Try again
          </Button>
        </div>
      ) : (
        <MessageList
          messages={feed.messages}
          deleted={feed.deleted}
          moderate={rules?.isModerator ? username : null}
          selfUsername={viewer.me?.username}
        />
      )}

      {rules?.isModerator && <ModerationNotices notices={feed.notices} />}
      {rules?.canSend && <ReactionBar username={username} />}
      <ChatNotice id={noticeId} username={username} permission={rules} channel={channel} />
      <ChatComposer
        username={username}
        refusal={refusal}
        cooldownSeconds={cooldown}
        describedBy={rules && !rules.canSend ? noticeId : undefined}
        channelRole={rules?.channelRole ?? null}
        onSent={feed.add}
        onRefused={refetchPermission}
      />
    </>
  );
}
