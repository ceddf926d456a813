import { and, asc, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { channelModerator, chatMessage, user, type Database } from "@onair/db";
import { publishChatEvent, type ChatBadge, type ChatMessage } from "./chat-bus";
import { isChannelModerator } from "../moderation/moderators";

export const MAX_MESSAGE_LENGTH = 500;
/** Resuming replays at most this many missed messages; older ones are in `chat.history`. */
export const MAX_REPLAY = 500;

export interface ChatAuthor {
  id: string;
  username: string;
  displayUsername?: string | null | undefined;
  role: string;
}

/** The signed-in user as a chat author. */
export function authorOf(user: {
  id: string;
  username?: string | null;
  displayUsername?: string | null;
  role?: string | null;
}): ChatAuthor {
  return { id: user.id, username: user.username ?? "", displayUsername: user.displayUsername, role: user.role ?? "user" };
}

/** Advisory lock class of the per-channel chat lock (the second key is a hash of the channel id). */
const CHAT_LOCK_CLASS = 0x6f6e6163;

/**
 * Takes the channel's chat lock until the transaction ends (taking it again in the same transaction is
 * free). Chat entries take it to commit in id order; ending a broadcast takes it too, so a gift (checked
 * under it) either commits before the end or sees the broadcast ended.
 */
export async function lockChannelChat(db: Database, streamId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(${CHAT_LOCK_CLASS}, hashtext(${streamId}))`);
}

/**
 * Stores a chat entry (a message, or an event such as a gift) and sends it to every subscriber on
 * commit. Call it inside the transaction that makes the entry true.
 *
 * Order: the channel's chat lock is taken before the id is drawn and held to commit, so within a
 * channel ids commit (and NOTIFY, which PostgreSQL delivers in commit order) in id order — a
 * subscriber never sees a higher id before a lower one, and "after id N" misses nothing.
 * Returns null when `clientId` was stored already (nothing is inserted or sent).
 */
export async function postChatEntry(
  db: Database,
  channel: { id: string; ownerId: string },
  author: ChatAuthor,
  entry: { kind: "message" | "gift"; text: string; meta?: Record<string, unknown> | undefined; clientId?: string | undefined },
): Promise<ChatMessage | null> {
  const meta = entry.meta ?? null;
  await lockChannelChat(db, channel.id);
  const [row] = await db
    .insert(chatMessage)
    .values({ streamId: channel.id, userId: author.id, kind: entry.kind, text: entry.text, meta, clientId: entry.clientId })
    .onConflictDoNothing({ target: [chatMessage.userId, chatMessage.clientId] })
    .returning({
      id: chatMessage.id,
      createdAt: chatMessage.createdAt,
      // The channel's message before this one (the lock makes it the one committed just before).
      prev: sql<
        number | null
      >`(select max(prior.id) from chat_message prior where prior.stream_id = chat_message.stream_id and prior.id < chat_message.id)`,
    });
  if (!row) return null;
  const message = toChatMessage(
    {
      id: row.id,
      createdAt: row.createdAt,
      kind: entry.kind,
      text: entry.text,
      meta,
      userId: author.id,
      username: author.username,
      displayUsername: author.displayUsername ?? null,
      role: author.role === "admin" ? "admin" : "user",
      isModerator: author.id !== channel.ownerId && (await isChannelModerator(db, channel.id, author.id)),
    },
    channel.ownerId,
  );
  await publishChatEvent(db, channel.id, message, row.prev === null ? null : Number(row.prev));
  return message;
}

const columns = {
  id: chatMessage.id,
  kind: chatMessage.kind,
  text: chatMessage.text,
  meta: chatMessage.meta,
  createdAt: chatMessage.createdAt,
  userId: user.id,
  username: user.username,
  displayUsername: user.displayUsername,
  role: user.role,
  isModerator: sql<boolean>`exists (select 1 from ${channelModerator} where ${channelModerator.streamId} = ${chatMessage.streamId} and ${channelModerator.userId} = ${user.id})`,
};
type Plain = Omit<typeof columns, "isModerator">;
type Row = { [K in keyof Plain]: Plain[K]["_"]["data"] | null } & { isModerator?: boolean | null };

const BADGE_ORDER = [
  ["creator", (row: Row, ownerId: string) => row.userId === ownerId],
  ["admin", (row: Row) => row.role === "admin"],
  ["moderator", (row: Row) => row.isModerator === true],
] as const;

export function toChatMessage(row: Row, ownerId: string): ChatMessage {
  const badge: ChatBadge = BADGE_ORDER.find(([, applies]) => applies(row, ownerId))?.[0] ?? null;
  return {
    type: "message",
    id: row.id!,
    kind: row.kind ?? "message",
    text: row.text ?? "",
    meta: row.meta ?? null,
    createdAt: row.createdAt!,
    user: {
      id: row.userId ?? "",
      username: row.username ?? "",
      displayName: row.displayUsername ?? row.username ?? "",
      badge,
    },
  };
}

function selectMessages(db: Database, streamId: string) {
  return db
    .select(columns)
    .from(chatMessage)
    .innerJoin(user, eq(user.id, chatMessage.userId))
    .where(and(eq(chatMessage.streamId, streamId), isNull(chatMessage.deletedAt)))
    .$dynamic();
}

/** The message `userId` sent with `clientId` in this channel, if stored. */
export async function findByClientId(db: Database, channel: { id: string; ownerId: string }, userId: string, clientId: string) {
  const [row] = await selectMessages(db, channel.id).where(
    and(eq(chatMessage.streamId, channel.id), eq(chatMessage.userId, userId), eq(chatMessage.clientId, clientId)),
  );
  return row ? toChatMessage(row, channel.ownerId) : null;
}

/** The newest message id in the channel (0 for none): where a fresh subscriber starts. */
export async function newestChatId(db: Database, streamId: string): Promise<number> {
  const [row] = await db
    .select({ id: chatMessage.id })
    .from(chatMessage)
    .where(eq(chatMessage.streamId, streamId))
    .orderBy(desc(chatMessage.id))
    .limit(1);
  return row?.id ?? 0;
}

/** The newest `limit` messages, oldest first. */
export async function chatHistory(db: Database, channel: { id: string; ownerId: string }, limit: number) {
  const rows = await selectMessages(db, channel.id).orderBy(desc(chatMessage.id)).limit(limit);
  return rows.reverse().map((row) => toChatMessage(row, channel.ownerId));
}

/** Messages after `afterId`, oldest first, at most `limit`: what a reconnecting subscriber missed. */
export async function chatAfter(db: Database, channel: { id: string; ownerId: string }, afterId: number, limit = MAX_REPLAY) {
  const rows = await selectMessages(db, channel.id)
    .where(and(eq(chatMessage.streamId, channel.id), isNull(chatMessage.deletedAt), gt(chatMessage.id, afterId)))
    .orderBy(asc(chatMessage.id))
    .limit(limit);
  return rows.map((row) => toChatMessage(row, channel.ownerId));
}
