import type { Database } from "@onair/db";
import { findByClientId, type ChatAuthor } from "./chat";
import type { ChatMessage } from "./chat-bus";
import type { ChatChannel } from "../live/channels";
import { channelSends } from "../sends/channel-sends";
import { withSendSlot } from "../sends/send-slots";

/**
 * Every chat rule, on the server; a refused send changes nothing and uses up no limit. The message goes
 * into the channel's next batch (`channel-sends.ts`: the chat rules read for the whole batch before the
 * channel's lock; slow mode, order and storage under it; one transaction per batch).
 * With `clientId` (the sender's id for this message) a retry returns the message already stored.
 */
export async function sendChatMessage(
  db: Database,
  channel: ChatChannel,
  sender: ChatAuthor,
  text: string,
  clientId?: string,
): Promise<ChatMessage> {
  // A retry is answered at once (the batch checks again, under the lock).
  const earlier = clientId ? await withSendSlot(db, () => findByClientId(db, channel, sender.id, clientId)) : null;
  if (earlier) return earlier;
  return (await channelSends(db).submit(channel.id, { kind: "chat", channel, sender, text, clientId })) as ChatMessage;
}
