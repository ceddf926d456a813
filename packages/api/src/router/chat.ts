import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { authorOf, chatHistory, MAX_MESSAGE_LENGTH } from "../services/chat/chat";
import { channelRoleOf, chatAudience } from "../services/chat/chat-audience";
import { chatStream } from "../services/chat/chat-stream";
import { liveStream } from "../services/shared/direct";
import { sendChatMessage } from "../services/chat/chat-send";
import { chatRefusal, moderationSuspended } from "../services/chat/chat-rules";
import { getChannel } from "../services/live/channels";
import { REACTIONS } from "../services/chat/reactions";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../trpc";
import { storedText, usernameInput } from "../validation";

/** One line, 1–500 characters. */
const chatText = storedText().min(1, "must not be empty").max(MAX_MESSAGE_LENGTH, `must be at most ${MAX_MESSAGE_LENGTH} characters`);

export const chatRouter = createTRPCRouter({
  /**
   * Stores and fans out a message; every rule of the channel's chat is enforced here. With
   * `clientMessageId` (the sender's own id for it) a retry returns the stored message instead of a second.
   */
  send: protectedProcedure
    .input(
      z.object({
        username: usernameInput,
        text: chatText,
        clientMessageId: z
          .string()
          .regex(/^[\w-]{8,64}$/, "must be 8–64 letters, digits, _ or -")
          .optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const channel = await getChannel(ctx.db, input.username);
      return sendChatMessage(ctx.db, channel, authorOf(ctx.user), input.text, input.clientMessageId);
    }),

  /**
   * A reaction floating over everyone's player: gathered per channel and announced with counts on the
   * chat stream (`type: "reactions"`) within a second. At most 5 a second per user; refused (FORBIDDEN)
   * where the user may not chat.
   */
  react: protectedProcedure
    .input(z.object({ username: usernameInput, reaction: z.enum(REACTIONS, { error: "must be one of " + REACTIONS.join(", ") }) }))
    .mutation(async ({ ctx, input }) => {
      ctx.services.limits.react.take(ctx.user.id, "reactions");
      const channel = await getChannel(ctx.db, input.username);
      const refusal = await chatRefusal(ctx.db, channel, authorOf(ctx.user));
      if (refusal) throw new TRPCError({ code: "FORBIDDEN", message: refusal });
      ctx.services.reactions.add(channel.id, input.reaction);
      return { ok: true as const };
    }),

  /** Whether the caller may send now, and if not, why (the chat box shows it). */
  permission: publicProcedure.input(z.object({ username: usernameInput })).query(async ({ ctx, input }) => {
    const channel = await getChannel(ctx.db, input.username);
    const session = await ctx.getSession();
    const base = { isChatDelayed: channel.isChatDelayed, slowModeSeconds: channel.slowModeSeconds };
    const nobody = { isModerator: false, channelRole: null, moderationSuspended: null };
    if (!session) return { ...base, canSend: false, reason: "Sign in to chat", ...nobody };
    const role = session.user.role ?? "user";
    const reason = await chatRefusal(ctx.db, channel, { id: session.user.id, role });
    // "owner": the creator or an admin (every action); "moderator": delete, timeout, ban, unban, list —
    // none while the moderator is restricted in the channel themself (`moderationSuspended`: why), as the server refuses them.
    const appointed = await channelRoleOf(ctx.services.cache, channel, session.user);
    const suspended = appointed === "moderator" ? await moderationSuspended(ctx.db, channel.id, session.user.id) : null;
    const channelRole = suspended ? null : appointed;
    return { ...base, canSend: reason === null, reason, isModerator: channelRole !== null, channelRole, moderationSuspended: suspended };
  }),

  /** The newest messages, oldest first. */
  history: publicProcedure
    .input(z.object({ username: usernameInput, limit: z.number().int().min(1).max(200).default(50) }))
    .query(async ({ ctx, input }) => {
      const channel = await getChannel(ctx.db, input.username);
      return { items: await chatHistory(ctx.db, channel, input.limit) };
    }),

  /**
   * New messages (and deletions) as they happen, exactly once and in id order, each tracked by
   * message id. With `lastEventId` it first replays what came after that id (at most MAX_REPLAY;
   * beyond that a `reset` event says to reload `chat.history`), so a reconnect misses nothing.
   */
  onMessage: publicProcedure
    .input(z.object({ username: usernameInput, lastEventId: z.string().regex(/^\d+$/).nullish() }))
    .subscription(({ ctx, input, signal }) =>
      liveStream(async function* () {
        const channel = await getChannel(ctx.db, input.username);
        const lastEventId = input.lastEventId ? Number(input.lastEventId) : null;
        const sees = chatAudience(ctx.services.cache, channel, ctx.getSession);
        yield* chatStream(ctx.db, ctx.services.chat, channel, lastEventId, signal, sees);
      }),
    ),
});
