import { useCallback, useEffect, useRef, useState } from "react";
import type { ChatEvent, ChatMessage } from "@onair/api";
import { trpc } from "../../lib/trpc";
import { shareChatFeed } from "../gifts/chat-events";

/** Messages kept in memory (and so in the list); older ones fall off the top. */
export const MAX_MESSAGES = 500;
const HISTORY_LIMIT = 100;

export type FeedStatus = "loading" | "live" | "reconnecting" | "error";

/** A moderation action, as the channel's moderators see it in chat ("carol was timed out for 10 minutes by bob"). */
export interface ModerationNotice {
  key: string;
  text: string;
}
const MAX_NOTICES = 5;

type TeamEvent = Extract<ChatEvent, { type: "restricted" | "moderator" }>;

/** The sentence a moderator reads for a restriction or a team change. */
export function describeModeration(event: TeamEvent): string {
  if (event.type === "moderator")
    return event.added ? `${event.username} is now a moderator` : `${event.username} is no longer a moderator`;
  const minutes = event.minutes ?? 0;
  switch (event.kind) {
    case "timeout":
      return `${event.username} was timed out for ${minutes} ${minutes === 1 ? "minute" : "minutes"} by ${event.by}`;
    case "ban":
      return `${event.username} was banned from chat by ${event.by}`;
    case "block":
      return `${event.username} was blocked from watching by ${event.by}`;
    default:
      return `${event.by} lifted ${event.username}'s restriction`;
  }
}

export interface ChatFeed {
  messages: ChatMessage[];
  /** Moderation actions in this channel, newest last (the server sends them to moderators and the user concerned only). */
  notices: ModerationNotice[];
  /** Ids a moderator removed (recent ones), so a paused view can drop them too. */
  deleted: ReadonlySet<number>;
  status: FeedStatus;
  /** The live stream is open: events from now on arrive (the chat header's `data-subscribed`). */
  subscribed: boolean;
  error: unknown;
  /** Adds a message the server just returned to us, without waiting for the stream. */
  add: (message: ChatMessage) => void;
  retry: () => void;
}

/** Applies a batch of events in order: append (deduplicated, in id order), delete, cap. */
export function applyEvents(current: ChatMessage[], events: ChatEvent[], deleted: Set<number>): ChatMessage[] {
  let next = current;
  let copied = false;
  const own = () => {
    if (copied) return;
    next = next.slice();
    copied = true;
  };
  let ids: Set<number> | null = null;
  for (const event of events) {
    // Handled by the subscriber, or (reactions) by the player's overlay.
    if (event.type === "restricted" || event.type === "moderator" || event.type === "reset" || event.type === "reactions") continue;
    if (event.type === "deleted" || event.type === "removed") {
      const gone = event.type === "deleted" ? [event.id] : event.ids;
      for (const id of gone) deleted.add(id);
      if (next.some((m) => deleted.has(m.id))) {
        next = next.filter((m) => !deleted.has(m.id));
        copied = true;
        ids = null;
      }
      continue;
    }
    if (deleted.has(event.id)) continue;
    const last = next[next.length - 1];
    if (!last || event.id > last.id) {
      own();
      next.push(event);
      ids?.add(event.id);
      continue;
    }
    ids ??= new Set(next.map((m) => m.id));
    if (ids.has(event.id)) continue;
    own();
    const at = next.findIndex((m) => m.id > event.id);
    next.splice(at === -1 ? next.length : at, 0, event);
    ids.add(event.id);
  }
  if (deleted.size > 2 * MAX_MESSAGES) {
    const keep = [...deleted].slice(-MAX_MESSAGES);
    deleted.clear();
    for (const id of keep) deleted.add(id);
  }
  return next.length > MAX_MESSAGES ? next.slice(next.length - MAX_MESSAGES) : next;
}

/**
 * History, then the live stream from the last history id (nothing falls in the gap; the link resumes
 * with the last id after a drop). Events are buffered and applied once per animation frame, so a
 * chat doing hundreds of messages a second costs one render a frame.
 */
export function useChatFeed(username: string): ChatFeed {
  const utils = trpc.useUtils();
  const client = utils.client;
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [notices, setNotices] = useState<ModerationNotice[]>([]);
  const [status, setStatus] = useState<FeedStatus>("loading");
  const [subscribed, setSubscribed] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [deleted] = useState(() => new Set<number>());
  const buffer = useRef<ChatEvent[]>([]);
  const frame = useRef<number | null>(null);

  const flush = useCallback(() => {
    frame.current = null;
    const events = buffer.current;
    if (events.length === 0) return;
    buffer.current = [];
    setMessages((current) => applyEvents(current, events, deleted));
  }, [deleted]);

  const push = useCallback(
    (event: ChatEvent) => {
      buffer.current.push(event);
      frame.current ??= requestAnimationFrame(flush);
    },
    [flush],
  );

  useEffect(() => {
    let cancelled = false;
    let unsubscribe: (() => void) | null = null;
    // The gift overlay and the running total ride on this stream instead of opening their own.
    let share: ReturnType<typeof shareChatFeed> | null = null;
    buffer.current = [];
    client.chat.history
      .query({ username, limit: HISTORY_LIMIT })
      .then(({ items }) => {
        if (cancelled) return;
        setMessages(items);
        setStatus("live");
        const lastEventId = String(items[items.length - 1]?.id ?? 0);
        share = shareChatFeed(username);
        const subscription = client.chat.onMessage.subscribe(
          { username, lastEventId },
          {
            onStarted: () => {
              if (!cancelled) setSubscribed(true);
            },
            onData: ({ data }) => {
              share?.emit(data);
              if (data.type === "restricted" || data.type === "moderator") {
                void utils.chat.permission.invalidate({ username });
                void utils.moderation.list.invalidate({ channel: username });
                const notice = { key: `${data.type}-${data.userId}-${Date.now()}`, text: describeModeration(data) };
                setNotices((current) => [...current, notice].slice(-MAX_NOTICES));
              }
              // More was missed than the server replays: load the history again.
              else if (data.type === "reset") setAttempt((n) => n + 1);
              else push(data);
            },
            // The server ended the stream (shutting down): load and subscribe again, missing nothing.
            onComplete: () => {
              if (!cancelled) setAttempt((n) => n + 1);
            },
            onError: (cause) => {
              share?.release();
              setError(cause);
              setStatus("error");
            },
            onConnectionStateChange: (state) => {
              if (state.state === "connecting" && state.error) {
                setStatus("reconnecting");
                setSubscribed(false);
              } else if (state.state === "pending") {
                setStatus("live");
                setSubscribed(true);
              }
            },
          },
        );
        unsubscribe = () => subscription.unsubscribe();
      })
      .catch((cause: unknown) => {
        if (cancelled) return;
        setError(cause);
        setStatus("error");
      });
    return () => {
      cancelled = true;
      setSubscribed(false);
      unsubscribe?.();
      share?.release();
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      frame.current = null;
    };
  }, [client, utils, username, attempt, push]);

  const add = useCallback((message: ChatMessage) => push(message), [push]);
  const retry = useCallback(() => {
    setStatus("loading");
    setError(null);
    setMessages([]);
    setAttempt((n) => n + 1);
  }, []);

  return { messages, notices, deleted, status, subscribed, error, add, retry };
}
