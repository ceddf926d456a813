import { z } from "zod";
import { findOpenBroadcast } from "../services/live/broadcasts";
import { viewerIdentity } from "../services/live/live";
import { deleteMessage, liftRestriction, listRestrictions } from "../services/moderation/moderation";
import { moderationPage } from "../services/moderation/moderation-log";
import { moderationStream } from "../services/moderation/moderation-stream";
import { listModerators, setModerator } from "../services/moderation/moderators";
import { restrict } from "../services/moderation/restrict";
import { channelModeratorProcedure, channelOwnerProcedure, createTRPCRouter } from "../trpc";
import { storedText, usernameInput } from "../validation";

const target = z.object({ username: usernameInput });
/** Why, in a few words (shown in the moderation log). */
const reason = storedText().max(200, "must be at most 200 characters").optional();
/** A timeout: 1 minute to 7 days (the web app offers 1 min, 10 min, 1 h and 24 h). */
const minutes = z.number().int().min(1, "must be at least 1").max(10_080, "must be at most 10080 (7 days)");

/**
 * The channel's creator (or an admin) keeps its chat and audience in order, with the moderators they
 * appoint: a moderator may delete messages, time out, ban, unban and list; only the creator (or an
 * admin) blocks from watching and appoints moderators. A moderator never acts on a user the creator
 * blocked, the creator, a site admin or a fellow moderator (FORBIDDEN, services/moderation/moderation.ts), and one
 * timed out, banned or blocked in the channel may not moderate it (`channelModeratorProcedure`). A
 * timeout or ban never replaces a block, whoever asks: the block is lifted first (`unban`).
 */
export const moderationRouter = createTRPCRouter({
  deleteMessage: channelModeratorProcedure
    .input(z.object({ messageId: z.number().int().positive() }))
    .mutation(({ ctx, input }) => deleteMessage(ctx.db, ctx.channel, ctx.moderator, input.messageId)),

  timeout: channelModeratorProcedure
    .input(target.extend({ minutes, reason }))
    .mutation(({ ctx, input }) => restrict(ctx.services, ctx.db, ctx.channel, ctx.moderator, { ...input, kind: "timeout" })),

  ban: channelModeratorProcedure
    .input(target.extend({ reason }))
    .mutation(({ ctx, input }) => restrict(ctx.services, ctx.db, ctx.channel, ctx.moderator, { ...input, kind: "ban" })),

  /**
   * Refuses the user's viewer token and chat, and disconnects them now: LiveKit removes their
   * participant, and their page hears the `restricted` event on its chat stream.
   */
  block: channelOwnerProcedure.input(target.extend({ reason })).mutation(async ({ ctx, input }) => {
    const result = await restrict(ctx.services, ctx.db, ctx.channel, ctx.moderator, { ...input, kind: "block" });
    const open = await findOpenBroadcast(ctx.db, ctx.channel.id);
    const disconnected = open ? await ctx.services.rooms.removeParticipant(open.roomName, viewerIdentity(result.userId)) : false;
    return { ...result, disconnected };
  }),

  /** Lifts a timeout, ban or block (a block only by the creator or an admin). */
  unban: channelModeratorProcedure
    .input(target)
    .mutation(({ ctx, input }) => liftRestriction(ctx.db, ctx.channel, ctx.moderator, input.username)),

  /** Restrictions in force, oldest first. */
  list: channelModeratorProcedure.query(({ ctx }) => listRestrictions(ctx.db, ctx.channel.id)),

  addModerator: channelOwnerProcedure
    .input(target)
    .mutation(({ ctx, input }) => setModerator(ctx.db, ctx.channel, ctx.moderator, input.username, true)),

  removeModerator: channelOwnerProcedure
    .input(target)
    .mutation(({ ctx, input }) => setModerator(ctx.db, ctx.channel, ctx.moderator, input.username, false)),

  /** The channel's appointed moderators, longest-serving first. */
  moderators: channelModeratorProcedure.query(async ({ ctx }) =>
    (await listModerators(ctx.db, ctx.channel.id)).map(({ username, addedAt }) => ({ username: username ?? "", addedAt })),
  ),

  /** Every moderation action in the channel, newest first (`cursor`: the last id of the page before). */
  log: channelModeratorProcedure
    .input(
      z.object({
        cursor: z.number().int().positive("must be a positive whole number").optional(),
        limit: z.number().int().min(1).max(100).default(50),
      }),
    )
    .query(({ ctx, input }) => moderationPage(ctx.db, ctx.channel.id, input.cursor, input.limit)),

  /**
   * Each new log entry as it happens, tracked by its id; with `lastEventId` it first replays what came
   * after it, so a reconnect misses nothing. A moderator's stream ends once they are removed.
   */
  onChange: channelModeratorProcedure
    .input(z.object({ lastEventId: z.string().regex(/^\d+$/).nullish() }))
    .subscription(({ ctx, input, signal }) => {
      const lastEventId = input.lastEventId ? Number(input.lastEventId) : null;
      return moderationStream(ctx.db, ctx.services.moderation, ctx.channel.id, ctx.moderator, lastEventId, signal);
    }),
});
