import { Shield } from "lucide-react";
import type { ModerationNotice } from "./use-chat-feed";

/** What the moderators did lately, for the channel's moderators only: "carol was timed out for 10 minutes by bob". */
export function ModerationNotices({ notices }: { notices: ModerationNotice[] }) {
  if (notices.length === 0) return null;
  return (
    <ul
      aria-label="Moderation"
      aria-live="polite"
      className="max-h-24 shrink-0 overflow-y-auto border-t border-border bg-emerald-950/30 px-3 py-1.5 text-xs text-emerald-100"
    >
      {notices.map((notice) => (
        <li
          key={notice.key}
          data-testid="moderation-notice"
          className="flex items-start gap-1.5 py-0.5 break-words [overflow-wrap:anywhere]"
        >
          <Shield className="mt-0.5 size-3 shrink-0" aria-hidden />
          <span>{notice.text}</span>
        </li>
      ))}
    </ul>
  );
}
