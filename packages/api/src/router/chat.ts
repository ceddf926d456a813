import { tracked } from "@trpc/server";
import { z } from "zod";
import { authorOf, chatAfter, chatHistory, cleanMessageText } from "../services/chat";
import { chatRefusal, sendChatMessage } from "../services/chat-send";
import { getChannel } from "../services/channels";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../trpc";
import { usernameInput } from "../validation";

export const chatRouter = createTRPCRouter({
  /** Stores and fans out a message; every rule of the channel's chat is enforced here. */
  send: protectedProcedure
    .input(z.object({ username: usernameInput, text: z.string().max(2000) }))
    .mutation(async ({ ctx, input }) => {
      const text = cleanMessageText(input.text);
      const channel = await getChannel(ctx.db, input.username);
      return sendChatMessage(ctx.db, channel, authorOf(ctx.user), text);
    }),

  /** Whether the caller may send now, and if not, why (the chat box shows it). */
  permission: publicProcedure.input(z.object({ username: usernameInput })).query(async ({ ctx, input }) => {
    const channel = await getChannel(ctx.db, input.username);
    const session = await ctx.getSession();
    const base = { isChatDelayed: channel.isChatDelayed, slowModeSeconds: channel.slowModeSeconds };
    if (!session) return { ...base, canSend: false, reason: "Sign in to chat", isModerator: false };
    const role = session.user.role ?? "user";
    const reason = await chatRefusal(ctx.db, channel, { id: session.user.id, role });
    const isModerator = session.user.id === channel.ownerId || role === "admin";
    return { ...base, canSend: reason === null, reason, isModerator };
  }),

  /** The newest messages, oldest first. */
  history: publicProcedure
    .input(z.object({ username: usernameInput, limit: z.number().int().min(1).max(200).default(50) }))
    .query(async ({ ctx, input }) => {
      const channel = await getChannel(ctx.db, input.username);
      return { items: await chatHistory(ctx.db, channel, input.limit) };
    }),

  /**
   * New messages (and deletions) as they happen, each tracked by message id. With `lastEventId` it
   * first replays what came after that id, so a reconnect (or the gap after `history`) misses nothing.
   */
  onMessage: publicProcedure
    .input(z.object({ username: usernameInput, lastEventId: z.string().regex(/^\d+$/).nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      const channel = await getChannel(ctx.db, input.username);
      const live = ctx.services.chat.subscribe(channel.id, signal);
      let lastId = input.lastEventId ? Number(input.lastEventId) : 0;
      if (input.lastEventId) {
        for (const message of await chatAfter(ctx.db, channel, lastId)) {
          lastId = message.id;
          yield tracked(String(message.id), message);
        }
      }
      for await (const event of live) {
        if (event.type === "message") {
          if (event.id <= lastId) continue; // already replayed
          lastId = event.id;
        }
        yield tracked(String(lastId), event);
      }
    }),
});
