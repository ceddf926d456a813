import { Gift, Shield, ShieldCheck, Video } from "lucide-react";
import { lazy, memo, Suspense, type Ref } from "react";
import type { ChatMessage } from "@onair/api";
import { cn } from "../../lib/utils";
import { formatCoins } from "../gifts/coins";
import { MessageBody } from "./message-body";
import { mentions } from "./message-text";
import type { ModerationTarget } from "./moderator-menu";

// Only moderators see it: its dropdown code stays out of everyone else's channel page.
const ModeratorMenu = lazy(() => import("./moderator-menu").then((m) => ({ default: m.ModeratorMenu })));

// Readable on the dark background; one per name, always the same.
const NAME_COLORS = ["#ff7a8a", "#ffa657", "#f5d45c", "#7ee787", "#56d4dd", "#79c0ff", "#a5a5ff", "#d2a8ff", "#ff9bd2", "#8ddb8c"];

export function nameColor(username: string) {
  let hash = 0;
  for (const char of username) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return NAME_COLORS[hash % NAME_COLORS.length]!;
}

const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

function toDate(value: unknown): Date | null {
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Gift details, read defensively: the meta comes from the server but its shape may grow. */
export function giftOf(meta: unknown): { name: string; icon: string | null; price: number | null } {
  const m = meta && typeof meta === "object" ? (meta as Record<string, unknown>) : {};
  const name = typeof m.giftName === "string" && m.giftName.trim() ? m.giftName.trim().slice(0, 40) : "gift";
  // An emoji (a few code points); anything longer is not an icon we can show as text.
  const icon = typeof m.icon === "string" && [...m.icon].length <= 4 ? m.icon : null;
  const price = typeof m.price === "number" && Number.isFinite(m.price) ? m.price : null;
  return { name, icon, price };
}

const BADGES = {
  creator: { label: "Creator", Icon: Video, color: "bg-primary" },
  admin: { label: "Admin", Icon: ShieldCheck, color: "bg-sky-600" },
  moderator: { label: "Moderator", Icon: Shield, color: "bg-emerald-700" },
} as const;

function UserBadge({ badge }: { badge: ChatMessage["user"]["badge"] }) {
  if (!badge) return null;
  const { label, Icon, color } = BADGES[badge];
  return (
    <span
      title={label}
      data-testid={`badge-${badge}`}
      className={`mr-1 inline-flex translate-y-[-1px] items-center rounded ${color} px-1 py-px align-middle text-[10px] font-bold text-white uppercase`}
    >
      <Icon className="size-3" aria-hidden />
      <span className="sr-only">{label}</span>
    </span>
  );
}

interface RowProps {
  message: ChatMessage;
  /** The channel's owner username, when the viewer may moderate it. */
  moderate: string | null;
  selfUsername: string | undefined;
  onMenuOpenChange: (open: boolean) => void;
  rowRef: Ref<HTMLDivElement>;
}

export const ChatRow = memo(function ChatRow({ message, moderate, selfUsername, onMenuOpenChange, rowRef }: RowProps) {
  const date = toDate(message.createdAt);
  const gift = message.kind === "gift" ? giftOf(message.meta) : null;
  const name = message.user.displayName || message.user.username;
  const target: ModerationTarget = { channel: moderate ?? "", messageId: message.id, username: message.user.username };
  const canModerate = moderate !== null && message.user.username !== selfUsername && message.user.badge !== "creator";
  // Someone else's message naming the viewer (@name): the row stands out for them alone.
  const mentioned = !gift && message.user.username !== selfUsername && mentions(message.text, selfUsername);

  return (
    <div
      ref={rowRef}
      data-row-key={message.id}
      data-testid="chat-message"
      data-message-id={message.id}
      data-mentioned={mentioned || undefined}
      title={date ? full.format(date) : undefined}
      className={cn(
        "group relative px-3 py-1 text-sm leading-relaxed break-words [overflow-wrap:anywhere] hover:bg-white/[0.04] focus-within:bg-white/[0.04]",
        gift && "my-1 border-l-2 border-amber-400 bg-amber-400/10 py-2 hover:bg-amber-400/15",
        mentioned && "border-l-2 border-primary bg-primary/10 hover:bg-primary/15",
        canModerate && "pr-10",
      )}
    >
      {date && (
        <time
          dateTime={date.toISOString()}
          className="mr-1.5 hidden text-xs text-muted-foreground tabular-nums group-hover:inline group-focus-within:inline"
        >
          {clock.format(date)}
        </time>
      )}
      {gift ? (
        <>
          <span
            className="mr-1.5 inline-flex size-6 items-center justify-center rounded-full bg-amber-400/20 align-middle text-base leading-none"
            aria-hidden
          >
            {gift.icon ?? <Gift className="size-3.5 text-amber-300" />}
          </span>
          <UserBadge badge={message.user.badge} />
          <span className="font-semibold" style={{ color: nameColor(message.user.username) }}>
            {name}
          </span>{" "}
          <span className="font-medium text-amber-100">{message.text || `sent a ${gift.name}`}</span>
          {gift.price !== null && <span className="ml-1.5 text-xs text-amber-300/80">· {formatCoins(gift.price)}</span>}
        </>
      ) : (
        <>
          <UserBadge badge={message.user.badge} />
          <span className="font-semibold" style={{ color: nameColor(message.user.username) }}>
            {name}
          </span>
          <span className="text-muted-foreground" aria-hidden>
            :{" "}
          </span>
          <span className="sr-only"> says </span>
          <MessageBody text={message.text} selfUsername={selfUsername} />
          {mentioned && <span className="sr-only"> (mentions you)</span>}
        </>
      )}
      {canModerate && (
        <Suspense fallback={null}>
          <ModeratorMenu target={target} onOpenChange={onMenuOpenChange} />
        </Suspense>
      )}
    </div>
  );
});
