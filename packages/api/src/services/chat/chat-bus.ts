import { notify, notifyAll, type Database, type DatabaseHandle } from "@onair/db";
import { Fanout } from "../shared/events";
import type { ReactionsEvent } from "./reactions";

/**
 * The chat bus: what `chat.onMessage` carries and how it travels between instances (NOTIFY on
 * commit, or the Redis bus). The rows themselves are chat.ts's.
 */
export const CHAT_CHANNEL = "onair_chat";

export type ChatBadge = "creator" | "admin" | "moderator" | null;

export interface ChatMessage {
  type: "message";
  id: number;
  kind: "message" | "gift";
  text: string;
  meta: Record<string, unknown> | null;
  createdAt: Date;
  user: { id: string; username: string; displayName: string; badge: ChatBadge };
}

/** A user's restriction changed (`kind: null`: lifted), by whom: for that user and the channel's moderators only. */
export interface RestrictedEvent {
  type: "restricted";
  userId: string;
  username: string;
  kind: "timeout" | "ban" | "block" | null;
  until: string | null;
  /** A timeout's length. */
  minutes: number | null;
  /** Who did it. */
  by: string;
}

/** A user was appointed (or removed) as a moderator of the channel: for them and the moderators only. */
export interface ModeratorEvent {
  type: "moderator";
  userId: string;
  username: string;
  added: boolean;
}

/**
 * What `chat.onMessage` carries: a new message, the id of one a moderator deleted, the ids of a user's
 * recent messages removed by a ban or timeout, (only to the user concerned and the channel's
 * moderators, see chat-audience.ts) a restriction or a moderator-team change, reactions with their
 * counts (reactions.ts), or `reset`: more was missed than a resume replays (`MAX_REPLAY`), so load
 * `chat.history` again.
 */
export type ChatEvent =
  | ChatMessage
  | { type: "reset" }
  | { type: "deleted"; id: number }
  | { type: "removed"; ids: number[] }
  | RestrictedEvent
  | ModeratorEvent
  | ReactionsEvent;

/** `prev`: a message's predecessor in its channel (null: the first), so receivers keep commit order on any bus. */
type Wire = { streamId: string; event: ChatEvent & { createdAt?: string | Date }; prev?: number | null };

export function createChatEvents(listen: DatabaseHandle["listen"]) {
  return new Fanout<ChatEvent>(
    listen,
    CHAT_CHANNEL,
    (payload) => {
      const { streamId, event, prev } = JSON.parse(payload) as Wire;
      if (event.type !== "message") return { key: streamId, value: event as ChatEvent };
      event.createdAt = new Date(event.createdAt);
      return { key: streamId, value: event as ChatEvent, order: prev === undefined ? undefined : { id: event.id, prev } };
    },
    { positionOf: (event) => (event.type === "message" ? event.id : undefined) },
  );
}
export type ChatEvents = ReturnType<typeof createChatEvents>;

/**
 * Sends `event` to every subscriber of the channel on every instance (on commit inside a transaction).
 * A message passes `prev`, the id of the channel's message before it (null: none), read under the chat lock.
 */
export function publishChatEvent(db: Database, streamId: string, event: ChatEvent, prev?: number | null): Promise<void> {
  return notify(db, CHAT_CHANNEL, JSON.stringify({ streamId, event, prev } satisfies Wire));
}

/**
 * `publishChatEvent` for consecutive messages of one channel, in this order, in one statement; `prev`
 * is the predecessor of the first (each next one's is the message before it).
 */
export function publishChatMessages(db: Database, streamId: string, messages: ChatMessage[], prev: number | null): Promise<void> {
  return notifyAll(
    db,
    CHAT_CHANNEL,
    messages.map((event, i) => JSON.stringify({ streamId, event, prev: i ? messages[i - 1]!.id : prev } satisfies Wire)),
  );
}
