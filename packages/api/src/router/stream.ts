import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { LEFT_GRACE_SECONDS, touchBroadcast } from "../services/live/broadcasts";
import { goLive } from "../services/live/go-live";
import { mintViewerToken } from "../services/livekit";
import { endChannelBroadcast, markStudioLeft, requireOwnStream, setChannelPublishing, viewerIdentity } from "../services/live/live";
import { saveStreamDetails, updateChatSettings } from "../services/live/stream-settings";
import { activityStream } from "../services/audience/activity-stream";
import { chatRefusal } from "../services/chat/chat-rules";
import { searchChannels } from "../services/live/search";
import { findStreamByUserId, listLiveStreams, listRecentlyLive } from "../services/live/streams";
import { createTRPCRouter, creatorProcedure, livenessCreatorProcedure, publicProcedure } from "../trpc";
import { byUsernameInput, storedText, usernameInput } from "../validation";
import { liveChanges } from "../services/live/live-changes";
import { statusStream } from "../services/live/status-stream";
import { liveStream } from "../services/shared/direct";

/** Thumbnails are shown on https pages: an http:// image would be mixed content (blocked or warned about). */
const httpsUrl = z.url({ protocol: /^https$/, error: "must be an https:// URL" }).max(2048);

const streamDetails = z.object({
  title: storedText().min(1, "is required").max(140),
  description: storedText({ multiline: true }).max(2000).optional(),
  thumbnail: z.union([httpsUrl, z.literal("")]).optional(),
});

const chatSettings = z
  .object({
    isChatEnabled: z.boolean().optional(),
    isChatDelayed: z.boolean().optional(),
    isChatFollowersOnly: z.boolean().optional(),
    slowModeSeconds: z.number().int().min(2).max(300).optional(),
    followersOnlyMinutes: z.number().int().min(0).max(43_200).optional(),
  })
  .refine((value) => Object.values(value).some((v) => v !== undefined), "name at least one setting");

export const streamRouter = createTRPCRouter({
  mine: creatorProcedure.query(({ ctx }) => findStreamByUserId(ctx.db, ctx.user.id)),

  /** Sets the channel's title, description and thumbnail (the seed's createStream). */
  upsert: creatorProcedure.input(streamDetails).mutation(({ ctx, input }) => saveStreamDetails(ctx.db, ctx.services, ctx.user, input)),

  updateChatSettings: creatorProcedure
    .input(chatSettings)
    .mutation(({ ctx, input }) => updateChatSettings(ctx.db, ctx.services, ctx.user, input)),

  byUsername: publicProcedure.input(byUsernameInput).query(({ ctx, input }) => ctx.services.cache.publicStream(input.username)),

  live: publicProcedure
    .input(
      z
        .object({
          cursor: z.number().int().min(0).nullish(),
          limit: z.number().int().min(1).max(100).default(24),
          query: storedText().max(100).optional(),
        })
        .optional(),
    )
    .query(({ ctx, input }) =>
      listLiveStreams(ctx.db, {
        cursor: input?.cursor ?? undefined,
        limit: input?.limit ?? 24,
        query: input?.query || undefined,
      }),
    ),

  /** Channels that were live lately, most recent first: the directory's "recently live" row. */
  recent: publicProcedure
    .input(z.object({ limit: z.number().int().min(1).max(50).default(12) }).optional())
    .query(({ ctx, input }) => listRecentlyLive(ctx.db, input?.limit ?? 12)),

  /** Where browsers reach LiveKit (LIVEKIT_URL): the Go Live page checks it answers before going live. */
  mediaServer: creatorProcedure.query(({ ctx }) => ({
    wsUrl: ctx.services.livekit.url,
    /** Outside production the page may offer going live without video when LiveKit is unreachable. */
    withoutVideoAllowed: ctx.services.devBroadcasts,
  })),

  /** Opens (or resumes) the broadcast and returns the publisher token in the same round trip. */
  goLive: creatorProcedure
    .input(
      z
        .object({
          title: storedText().min(1, "is required").max(140).optional(),
          /** Development only: a broadcast for chat, gifts and activity with no LiveKit (never publishing). */
          withoutVideo: z.boolean().optional(),
        })
        .optional(),
    )
    .mutation(({ ctx, input }) => goLive(ctx.db, ctx.services, ctx.user, input)),

  /** Ends the broadcast; LiveKit's room is deleted so every viewer is disconnected. */
  end: creatorProcedure.mutation(async ({ ctx }) => {
    const own = await requireOwnStream(ctx.db, ctx.user.id);
    await endChannelBroadcast(ctx.services, own.id, "creator");
    return { stream: (await findStreamByUserId(ctx.db, ctx.user.id))! };
  }),

  /**
   * The live page's sign of life, every ~15 s (the sweeper ends a broadcast that stops sending it), and
   * at once with `publishing` when its tracks are published or unpublished (`isPublishing`).
   */
  heartbeat: livenessCreatorProcedure
    .input(z.object({ publishing: z.boolean().optional() }).optional())
    .mutation(async ({ ctx, input }) => {
      const own = await requireOwnStream(ctx.db, ctx.user.id);
      const isLive = await touchBroadcast(ctx.db, own.id);
      if (isLive && input?.publishing !== undefined) {
        await setChannelPublishing(ctx.db, own.id, input.publishing, ctx.user.username ?? "");
      }
      return { isLive };
    }),

  /** The creator's page is going away (pagehide beacon): end after a grace unless it comes back. */
  leave: creatorProcedure.mutation(async ({ ctx }) => {
    const own = await requireOwnStream(ctx.db, ctx.user.id);
    // Only a browser broadcast: closing the studio page leaves streaming software live.
    const pending = await markStudioLeft(ctx.db, own.id);
    return { isLive: pending, endsInSeconds: pending ? LEFT_GRACE_SECONDS : 0 };
  }),

  /** A subscribe-only, hidden viewer token for the channel's open broadcast (guests welcome). */
  token: publicProcedure.input(byUsernameInput).mutation(async ({ ctx, input }) => {
    // Channel, open broadcast, session and restriction come from memory in a viewer-join storm (read-cache.ts).
    const { channel, open } = await ctx.services.cache.liveRoom(input.username);
    const session = await ctx.getSession();
    const viewer = session ? { id: session.user.id, role: session.user.role ?? "user" } : null;
    const restriction = viewer ? await ctx.services.cache.restriction(channel.id, viewer.id) : null;
    if (restriction?.kind === "block") {
      throw new TRPCError({ code: "FORBIDDEN", message: `${channel.username} has blocked you from watching` });
    }
    const identity = viewerIdentity(session?.user.id);
    const token = mintViewerToken(ctx.services.livekit, {
      identity,
      name: session?.user.username ?? undefined,
      roomName: open.roomName,
    });
    return {
      token,
      wsUrl: ctx.services.livekit.url,
      roomName: open.roomName,
      identity,
      canChat: viewer !== null && (await chatRefusal(ctx.db, channel, viewer, restriction)) === null,
    };
  }),

  /**
   * For lists of channels (the Following sidebar): a channel's view each time it goes live, starts or
   * stops publishing, or ends. Nothing at first (the list has the views), and no viewer-count chatter.
   * It listens before the stream opens: a list read again on `started` misses nothing.
   */
  onLiveChange: publicProcedure
    .input(z.object({ usernames: z.array(usernameInput).max(200) }))
    .subscription(({ ctx, input, signal }) => liveChanges(ctx.services, input.usernames, signal)),

  /**
   * The channel's public view at once, then again on every change (live, ended, title, viewers). Every
   * subscriber gets the one cached view, read once per change (the same NOTIFY drops it from the cache).
   */
  onStatus: publicProcedure
    .input(byUsernameInput)
    .subscription(({ ctx, input, signal }) =>
      liveStream(() => statusStream(ctx.services.cache, ctx.services.events, input.username, signal)),
    ),

  /** Channels by username or title, live or not: live first, then by followers (the search box). */
  search: publicProcedure
    .input(
      z.object({
        query: storedText().min(1, "is required").max(100),
        cursor: z.number().int().min(0).max(10_000).nullish(),
        limit: z.number().int().min(1).max(50).default(20),
      }),
    )
    .query(({ ctx, input }) => searchChannels(ctx.db, { query: input.query, cursor: input.cursor ?? undefined, limit: input.limit })),

  /**
   * The creator's alerts: follows and gifts to their channel as they happen, the latest few first.
   * The caller's own channel only; anyone else is refused (no input names another channel).
   */
  onActivity: creatorProcedure.subscription(({ ctx, signal }) => activityStream(ctx.db, ctx.services.activity, ctx.user.id, signal)),
});
