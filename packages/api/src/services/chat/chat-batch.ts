import { and, eq, inArray, sql } from "drizzle-orm";
import { channelModerator, chatCooldown, chatMessage, type Database } from "@onair/db";
import { toChatMessage, type ChatAuthor } from "./chat";
import { publishChatMessages, type ChatMessage } from "./chat-bus";

/** A line a batch stores in the channel's chat: a message, or a gift's announcement. */
export interface Line {
  author: ChatAuthor;
  kind: "message" | "gift";
  text: string;
  meta: Record<string, unknown> | null;
  clientId?: string | undefined;
}

const pair = (userId: string, clientId: string) => `${userId}\n${clientId}`;

/** Which of `authors` are moderators of the channel (their badge); read before the lock. */
export async function moderatorsAmong(db: Database, streamId: string, authors: string[]): Promise<Set<string>> {
  const rows = await db
    .select({ userId: channelModerator.userId })
    .from(channelModerator)
    .where(and(eq(channelModerator.streamId, streamId), inArray(channelModerator.userId, authors)));
  return new Set(rows.map((row) => row.userId));
}

/** Of the messages' `clientId`s, those already stored in the channel (`userId\nclientId`). Under the lock. */
export async function storedClientIds(db: Database, streamId: string, lines: { userId: string; clientId: string }[]) {
  if (!lines.length) return new Set<string>();
  const rows = await db
    .select({ userId: chatMessage.userId, clientId: chatMessage.clientId })
    .from(chatMessage)
    .where(
      and(
        eq(chatMessage.streamId, streamId),
        inArray(
          chatMessage.clientId,
          lines.map((line) => line.clientId),
        ),
      ),
    );
  return new Set(rows.map((row) => pair(row.userId, row.clientId!)));
}

export const storedKey = pair;

/**
 * How long ago (s) each user last took a chat slot in the channel (absent: never). Under the channel's
 * lock, which every writer of these rows holds: nothing changes them until the batch commits.
 */
export async function slotAges(db: Database, streamId: string, userIds: string[]): Promise<Map<string, number>> {
  if (!userIds.length) return new Map();
  const rows = await db
    .select({ userId: chatCooldown.userId, age: sql<number>`extract(epoch from (now() - ${chatCooldown.lastSentAt}))::float8` })
    .from(chatCooldown)
    .where(and(eq(chatCooldown.streamId, streamId), inArray(chatCooldown.userId, userIds)));
  return new Map(rows.map((row) => [row.userId, Number(row.age)]));
}

/** Takes the slots of `userIds` (each once) now: one statement. */
export async function takeSlots(db: Database, streamId: string, userIds: string[]): Promise<void> {
  if (!userIds.length) return;
  await db
    .insert(chatCooldown)
    .values(userIds.map((userId) => ({ streamId, userId, lastSentAt: sql`now()` })))
    .onConflictDoUpdate({ target: [chatCooldown.streamId, chatCooldown.userId], set: { lastSentAt: sql`now()` } });
}

/**
 * Stores the lines in order (one statement: ids are drawn in that order, under the channel's lock) and
 * announces each to every subscriber on commit, in the same order. A message whose `clientId` the
 * sender used at the same moment in another channel is skipped (null).
 */
export async function storeLines(
  db: Database,
  channel: { id: string; ownerId: string },
  lines: Line[],
  moderators: Set<string>,
): Promise<(ChatMessage | null)[]> {
  if (!lines.length) return [];
  const rows = await db
    .insert(chatMessage)
    .values(
      lines.map((line) => ({
        streamId: channel.id,
        userId: line.author.id,
        kind: line.kind,
        text: line.text,
        meta: line.meta,
        clientId: line.clientId,
      })),
    )
    .onConflictDoNothing({ target: [chatMessage.userId, chatMessage.clientId] })
    .returning({
      id: chatMessage.id,
      createdAt: chatMessage.createdAt,
      userId: chatMessage.userId,
      clientId: chatMessage.clientId,
      // The channel's message before this batch (the statement sees none of its own rows): the first line's predecessor.
      before: sql<
        number | null
      >`(select max(prior.id) from chat_message prior where prior.stream_id = chat_message.stream_id and prior.id < chat_message.id)`,
    });
  let next = 0;
  const messages = lines.map((line) => {
    const row = rows[next];
    if (!row || row.userId !== line.author.id || (row.clientId ?? undefined) !== line.clientId) return null;
    next++;
    return toChatMessage(
      {
        id: row.id,
        createdAt: row.createdAt,
        kind: line.kind,
        text: line.text,
        meta: line.meta,
        userId: line.author.id,
        username: line.author.username,
        displayUsername: line.author.displayUsername ?? null,
        role: line.author.role === "admin" ? "admin" : "user",
        isModerator: line.author.id !== channel.ownerId && moderators.has(line.author.id),
      },
      channel.ownerId,
    );
  });
  // Delivered on commit, in this order.
  const before = rows[0]?.before;
  await publishChatMessages(
    db,
    channel.id,
    messages.filter((message) => message !== null),
    before === undefined || before === null ? null : Number(before),
  );
  return messages;
}
