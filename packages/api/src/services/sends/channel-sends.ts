import { TRPCError } from "@trpc/server";
import type { Database } from "@onair/db";
import { publishActivities } from "../audience/activity";
import { ChannelBatches, type Outcome } from "./channel-batch";
import { findByClientId, lockChannelChat, type ChatAuthor } from "../chat/chat";
import { type ChatMessage } from "../chat/chat-bus";
import { moderatorsAmong, slotAges, storedClientIds, storedKey, storeLines, takeSlots, type Line } from "../chat/chat-batch";
import type { ChatChannel } from "../live/channels";
import { chatRefusal, gapOf, restrictionsOf, slowDown } from "../chat/chat-rules";
import { keyOf, readGiftState, writeGifts, type GiftResult, type GiftSend, type GiftTransaction } from "../gifts/gift-batch";
import { giftLine, notLive, replayGift, restrictedWords } from "../gifts/gift-rules";
import { withSendSlot } from "./send-slots";

/** A chat message waiting for its channel's batch (refusals that need no lock are checked already). */
export interface ChatSend {
  kind: "chat";
  channel: ChatChannel & { username?: string };
  sender: ChatAuthor;
  text: string;
  clientId?: string | undefined;
}
export type Send = GiftSend | ChatSend;
export type SendResult = GiftResult | ChatMessage;

type Decided = () => Outcome<SendResult>;
const refused =
  (error: unknown): Decided =>
  () => ({ error });

/**
 * One batch of a channel's sends, in one transaction: badges read first, then the channel's chat lock
 * (held to commit: batches of every instance take turns, and ending a broadcast waits for it), then
 * everything the rules need (open broadcast, locked balances, used keys, slow-mode slots) in a few
 * statements; each send is decided in arrival order in memory — a refused one changes nothing and
 * takes no slot — and the accepted ones are written with multi-row statements. The order of the lines
 * is decided here, once: ids are drawn in this order under the lock, and announced in it on commit.
 */
async function commitBatch(db: Database, sends: Send[]): Promise<Outcome<SendResult>[]> {
  const channel = sends[0]!.channel;
  return withSendSlot(
    db,
    () =>
      db.transaction(async (tx) => {
        const authors = [...new Set(sends.map((send) => send.sender.id))];
        const moderators = await moderatorsAmong(tx, channel.id, authors);
        const refusals = await refusalsOf(tx, sends, await restrictionsOf(tx, channel.id, authors));
        await lockChannelChat(tx, channel.id);
        const gifts = sends.filter((send): send is GiftSend => send.kind === "gift");
        const chats = sends.filter((send): send is ChatSend => send.kind === "chat");
        const { openId, balances, used } = await readGiftState(tx, channel.id, gifts);
        const withIds = chats.flatMap((send) => (send.clientId ? [{ userId: send.sender.id, clientId: send.clientId }] : []));
        const stored = await storedClientIds(tx, channel.id, withIds);
        const talkers = sends.filter((send) => send.kind === "chat" || send.message).map((send) => send.sender.id);
        const ages = await slotAges(tx, channel.id, [...new Set(talkers)]);

        const claimed = new Set<string>();
        /** The wait before `send`'s sender may post a line (0: now). */
        const wait = (send: Send) => {
          const { slow, gap } = gapOf(send.channel, send.sender);
          const age = claimed.has(send.sender.id) ? 0 : (ages.get(send.sender.id) ?? Infinity);
          return { slow, seconds: age >= gap ? 0 : gap - age };
        };
        const lines: Line[] = [];
        const lineOf: number[] = []; // the line of each accepted send (by position), -1 for none
        const accepted: GiftSend[] = [];
        const acceptedLines: number[] = []; // the line of each accepted gift
        const firsts = new Map<string, number>(); // idempotency / client ids seen in this batch → position
        const decided: Decided[] = sends.map((send, at) => {
          lineOf[at] = -1;
          if (send.kind === "chat") {
            const key = send.clientId && storedKey(send.sender.id, send.clientId);
            if (key && firsts.has(key)) return sameAs(firsts.get(key)!);
            if (key) firsts.set(key, at);
            if (key && stored.has(key)) return after(() => findByClientId(db, send.channel, send.sender.id, send.clientId!));
            if (refusals[at]) return refused(refusals[at]);
            const { slow, seconds } = wait(send);
            if (seconds > 0) return refused(slowDown(slow, seconds));
            claimed.add(send.sender.id);
            lineOf[at] = lines.push({ author: send.sender, kind: "message", text: send.text, meta: null, clientId: send.clientId }) - 1;
            return () => {
              const message = messages[lineOf[at]!];
              // null: the same clientId was being stored in another channel at this moment.
              return message ? { value: message } : after(() => findByClientId(db, send.channel, send.sender.id, send.clientId!))();
            };
          }
          const key = keyOf(send.sender.id, send.request.idempotencyKey);
          if (firsts.has(key)) return sameAs(firsts.get(key)!, send);
          firsts.set(key, at);
          const earlier = used.get(key);
          if (earlier) return () => replayOutcome(earlier, send);
          if (refusals[at]) return refused(refusals[at]);
          if (!openId) return refused(notLive(send.channel));
          const { slow, seconds } = send.message ? wait(send) : { slow: false, seconds: 0 };
          if (seconds > 0) return refused(slowDown(slow, seconds));
          const have = balances.get(send.sender.id) ?? 0;
          if (have < send.item.price) {
            const message = `Not enough coins: a ${send.item.name} costs ${send.item.price} and you have ${have}`;
            return refused(new TRPCError({ code: "PAYMENT_REQUIRED", message }));
          }
          balances.set(send.sender.id, have - send.item.price);
          if (send.message) claimed.add(send.sender.id);
          const gift = accepted.push(send) - 1;
          lineOf[at] = lines.push(giftLine(send)) - 1;
          acceptedLines.push(lineOf[at]);
          return () => ({ value: { transaction: transactions[gift]!, balance: have - send.item.price, replayed: false } });
        });

        /** A second copy of a key in the batch: answered as the first was (a replay of its gift). */
        function sameAs(first: number, send?: GiftSend): Decided {
          return () => {
            const outcome = decided[first]!();
            if (!send || !("value" in outcome)) return outcome;
            return replayOutcome((outcome.value as GiftResult).transaction, send);
          };
        }
        const replayOutcome = (earlier: GiftTransaction, send: GiftSend): Outcome<SendResult> => {
          try {
            return { value: replayGift(earlier, send.channel, send.request, balances.get(send.sender.id) ?? 0) };
          } catch (error) {
            return { error };
          }
        };
        /** Answered after the commit with what `load` finds (a message stored earlier under the same clientId). */
        function after(load: () => Promise<ChatMessage | null>): Decided {
          return () => ({ after: async () => (await load()) ?? conflictOfClientId() });
        }

        await takeSlots(tx, channel.id, [...claimed]);
        const transactions = openId ? await writeGifts(tx, sends[0]!.channel as GiftSend["channel"], openId, accepted) : [];
        transactions.forEach((transaction, at) => (lines[acceptedLines[at]!]!.meta!.transactionId = transaction.id));
        const messages = await storeLines(tx, channel, lines, moderators);
        await publishActivities(
          tx,
          channel.ownerId,
          accepted.map((send, at) => giftActivity(send, transactions[at]!)),
        );
        return decided.map((decide) => decide());
      }),
    true,
  );
}

/**
 * Why each send is refused by the channel's rules that need no lock (restrictions, chat off,
 * followers-only), or null. Read for the whole batch before the lock.
 */
async function refusalsOf(db: Database, sends: Send[], restrictions: Awaited<ReturnType<typeof restrictionsOf>>) {
  return Promise.all(
    sends.map(async (send) => {
      const restriction = restrictions.get(send.sender.id) ?? null;
      if (send.kind === "chat") {
        const refusal = await chatRefusal(db, send.channel, send.sender, restriction);
        return refusal ? new TRPCError({ code: "FORBIDDEN", message: refusal }) : null;
      }
      // Nobody the channel has timed out, banned or blocked gives (each gift is a line in its chat).
      if (restriction) return new TRPCError({ code: "FORBIDDEN", message: `${restrictedWords(restriction)}: you cannot send gifts here` });
      // A message is chat: it follows the chat's rules (the gift alone is always welcome).
      const refusal = send.message ? await chatRefusal(db, send.channel, send.sender, null) : null;
      return refusal ? new TRPCError({ code: "FORBIDDEN", message: `${refusal}. Send the gift without a message.` }) : null;
    }),
  );
}

const conflictOfClientId = (): never => {
  throw new TRPCError({ code: "CONFLICT", message: "clientMessageId: already used for another message" });
};

const giftActivity = (send: GiftSend, transaction: GiftTransaction) => ({
  type: "gift" as const,
  id: `gift-${transaction.id}`,
  username: send.sender.username,
  giftName: send.item.name,
  icon: send.item.icon,
  price: send.item.price,
  message: send.message ?? null,
  at: transaction.createdAt,
});

const batchesOf = new WeakMap<Database, ChannelBatches<Send, SendResult>>();

/** This instance's batches of sends per channel, over `db` (one pool: one set of batches). */
export function channelSends(db: Database): ChannelBatches<Send, SendResult> {
  let batches = batchesOf.get(db);
  if (!batches) batchesOf.set(db, (batches = new ChannelBatches((_channelId, sends) => commitBatch(db, sends))));
  return batches;
}
