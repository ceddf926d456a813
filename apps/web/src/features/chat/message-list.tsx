import { ArrowDown } from "lucide-react";
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
} from "react";
import type { ChatMessage } from "@onair/api";
import { ChatRow } from "./chat-message";
import { useWindow } from "./use-window";

/**
 * Why the view is held still: scrolled away from the bottom, a message menu open, focus on a row's
 * button, or a moderator's pointer moving over it (so a row stays put long enough to click).
 */
interface Hold {
  away: boolean;
  menu: boolean;
  focus: boolean;
  hover: boolean;
  /** What the view shows while held (new messages wait below). */
  snapshot: ChatMessage[] | null;
}
type HoldChange = Partial<Omit<Hold, "snapshot">> & { messages: ChatMessage[] };

function hold(state: Hold, { messages, ...change }: HoldChange): Hold {
  const next = { ...state, ...change };
  const held = next.away || next.menu || next.focus || next.hover;
  if (next.away === state.away && next.menu === state.menu && next.focus === state.focus && next.hover === state.hover) return state;
  return { ...next, snapshot: held ? (state.snapshot ?? messages) : null };
}

const NEAR_BOTTOM = 8;
/** A moderator's still pointer stops holding the view after this long. */
const HOVER_HOLD_MS = 1500;
const UP_KEYS = new Set(["ArrowUp", "PageUp", "Home"]);

interface Props {
  messages: ChatMessage[];
  deleted: ReadonlySet<number>;
  /** The channel, when the viewer may moderate it. */
  moderate: string | null;
  selfUsername: string | undefined;
}

/**
 * The chat log: windowed, stuck to the bottom while the reader is there. Scrolling up (or opening a
 * message's menu) holds the view still, and a "New messages" button brings the reader back down.
 */
export function MessageList({ messages, deleted, moderate, selfUsername }: Props) {
  const [scroller, setScroller] = useState<HTMLDivElement | null>(null);
  const [state, dispatch] = useReducer(hold, { away: false, menu: false, focus: false, hover: false, snapshot: null });
  // Handlers read the latest list through a ref, so they (and the memoised rows) stay stable.
  const latest = useRef(messages);
  useLayoutEffect(() => {
    latest.current = messages;
  }, [messages]);
  const change = useCallback((flags: Omit<HoldChange, "messages">) => dispatch({ ...flags, messages: latest.current }), []);
  const shown = useMemo(
    () => (state.snapshot ? state.snapshot.filter((m) => !deleted.has(m.id)) : messages),
    // `deleted` grows in place; a deletion that matters also changes `messages`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [state.snapshot, messages],
  );
  const keys = useMemo(() => shown.map((m) => m.id), [shown]);
  const { range, measure } = useWindow(keys, scroller);
  const lastShown = shown[shown.length - 1]?.id ?? 0;
  const unseen = state.snapshot ? messages.filter((m) => m.id > lastShown).length : 0;

  // Stuck to the bottom: follow every new row and every height change.
  useLayoutEffect(() => {
    if (!scroller || state.snapshot) return;
    scroller.scrollTo({ top: scroller.scrollHeight });
  }, [scroller, state.snapshot, range.total, shown]);

  const onScroll = () => {
    if (!scroller) return;
    change({ away: scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight > NEAR_BOTTOM });
  };

  // Hold before the scroll happens, or fast chat would pull the reader straight back down.
  const holdNow = () => {
    if (scroller && scroller.scrollHeight > scroller.clientHeight + NEAR_BOTTOM) change({ away: true });
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (UP_KEYS.has(event.key) && event.target === scroller) holdNow();
  };
  const onMenuOpenChange = useCallback((menu: boolean) => change({ menu }), [change]);

  // A focused row that goes away (its message deleted) fires no blur: look again after changes.
  useEffect(() => {
    if (!state.focus || state.menu || !scroller) return;
    const frame = requestAnimationFrame(() => {
      const active = document.activeElement;
      if (!active || active === scroller || !scroller.contains(active)) change({ focus: false });
    });
    return () => cancelAnimationFrame(frame);
  }, [state.focus, state.menu, scroller, messages, change]);

  const hoverTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const endHover = useCallback(() => {
    if (hoverTimer.current) clearTimeout(hoverTimer.current);
    hoverTimer.current = null;
    change({ hover: false });
  }, [change]);
  useLayoutEffect(
    () => () => {
      if (hoverTimer.current) clearTimeout(hoverTimer.current);
    },
    [],
  );
  const onPointerMove = (event: PointerEvent) => {
    if (!moderate || event.pointerType !== "mouse") return;
    if (hoverTimer.current) clearTimeout(hoverTimer.current);
    hoverTimer.current = setTimeout(endHover, HOVER_HOLD_MS);
    if (!state.hover) change({ hover: true });
  };

  const jumpToLatest = () => {
    change({ away: false, menu: false, focus: false, hover: false });
    scroller?.focus({ preventScroll: true });
  };

  return (
    <div className="relative min-h-0 flex-1">
      <div
        ref={setScroller}
        role="log"
        aria-live="off"
        aria-label="Chat messages"
        tabIndex={0}
        data-testid="chat-log"
        onScroll={onScroll}
        onWheel={(event) => event.deltaY < 0 && holdNow()}
        onTouchMove={holdNow}
        onKeyDown={onKeyDown}
        onPointerDown={(event) => event.target === scroller && holdNow()}
        onPointerUp={onScroll}
        onPointerMove={onPointerMove}
        onPointerLeave={endHover}
        onFocus={(event) => change({ focus: event.target !== scroller })}
        onBlur={(event) => !event.currentTarget.contains(event.relatedTarget) && change({ focus: false })}
        className="absolute inset-0 overflow-y-auto overscroll-contain py-2 outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-inset [scrollbar-width:thin]"
      >
        {shown.length === 0 ? (
          <p className="px-4 py-8 text-center text-sm text-muted-foreground">Welcome to the chat! Say hello 👋</p>
        ) : (
          <div style={{ paddingTop: range.before, paddingBottom: range.after }}>
            {shown.slice(range.start, range.end).map((message) => (
              <ChatRow
                key={message.id}
                message={message}
                moderate={moderate}
                selfUsername={selfUsername}
                onMenuOpenChange={onMenuOpenChange}
                rowRef={measure}
              />
            ))}
          </div>
        )}
      </div>
      {state.snapshot && (unseen > 0 || state.away) && (
        <button
          type="button"
          onClick={jumpToLatest}
          className="absolute bottom-3 left-1/2 z-10 inline-flex -translate-x-1/2 items-center gap-1.5 rounded-full bg-primary px-3.5 py-1.5 text-xs font-semibold text-primary-foreground shadow-lg shadow-black/40 outline-none hover:bg-primary-hover focus-visible:ring-2 focus-visible:ring-white"
        >
          {unseen > 0 ? (
            <>
              New messages <span className="rounded-full bg-white/20 px-1.5 tabular-nums">{unseen > 99 ? "99+" : unseen}</span>
            </>
          ) : (
            "Back to latest"
          )}
          <ArrowDown className="size-3.5" aria-hidden />
        </button>
      )}
    </div>
  );
}
