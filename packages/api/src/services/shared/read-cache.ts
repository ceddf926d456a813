import { TRPCError } from "@trpc/server";
import { ACCOUNT_CHANNEL, accountChanges } from "@onair/auth";
import type { DatabaseHandle } from "@onair/db";
import { findOpenBroadcast } from "../live/broadcasts";
import { KeyedCache, localChanges } from "./cache";
import { getChannel, type Channel } from "../live/channels";
import { CHAT_CHANNEL } from "../chat/chat-bus";
import { activeRestriction, activeRestrictions } from "../chat/chat-rules";
import { STREAM_CHANNEL } from "./events";
import { listModerators } from "../moderation/moderators";
import { SessionCache } from "./session-cache";
import { findPublicStream, type PublicStream } from "../live/streams";

/**
 * What the viewer-join storm reads over and over, kept in memory and dropped the moment it changes:
 * - a channel's public view (`stream.byUsername`) and its live room (channel + open broadcast), by
 *   username, dropped on every `onair_stream` NOTIFY (every writer of those rows sends one);
 * - a viewer's restriction in a channel, dropped on the chat channel's "restricted" event (sent by
 *   every timeout, ban, block and lift);
 * - a channel's moderator team, dropped on the chat channel's "moderator" event (every appointment
 *   and removal);
 * - sessions (see SessionCache), dropped on `onair_session` (@onair/auth announces every sign-out,
 *   revoked session, account update and deletion), which also drops the channel views (a renamed
 *   account changes them).
 * Each NOTIFY reaches every instance sharing the database; when the bus was deaf (listening again
 * after a lost connection) everything is dropped. TTLs only bound what a write made behind the app's
 * back (plain SQL) can leave stale. Nothing "not found" is kept.
 */
// Every change the app makes is announced (above); these only bound what plain SQL behind its back can
// leave stale. A Better Auth session lookup costs ~1 ms of CPU, a channel view one query.
const VIEW_TTL_MS = 2_000;
const RESTRICTION_TTL_MS = 60_000;
/** A channel's restrictions are kept as one list up to this many. */
const MAX_LISTED = 1_000;
const SESSION_TTL_MS = 60_000;

export type Restriction = Awaited<ReturnType<typeof activeRestriction>>;
export interface LiveRoom {
  channel: Channel;
  /** The open broadcast, or null while the channel is offline. */
  open: { id: string; roomName: string } | null;
}

export function createReadCache(handle: Pick<DatabaseHandle, "db" | "listen">) {
  const { db } = handle;
  const views = new KeyedCache<PublicStream | null>({ ttlMs: VIEW_TTL_MS, maxEntries: 20_000, keep: (value) => value !== null });
  const rooms = new KeyedCache<LiveRoom>({ ttlMs: VIEW_TTL_MS, maxEntries: 20_000 });
  /** Each channel's active restrictions by user (few, usually none): a viewer's first join needs no query. */
  const channelRestrictions = new KeyedCache<Map<string, Restriction> | "many">({ ttlMs: RESTRICTION_TTL_MS, maxEntries: 20_000 });
  /** Per viewer, for the rare channel with more than MAX_LISTED restrictions. */
  const restrictions = new KeyedCache<Restriction>({ ttlMs: RESTRICTION_TTL_MS, maxEntries: 200_000 });
  /** Bumped on each restriction change of a channel: older entries are never read again. */
  const generation = new Map<string, number>();
  /** Each channel's appointed moderators (user ids), by `streamId|generation`. */
  const teams = new KeyedCache<ReadonlySet<string>>({ ttlMs: RESTRICTION_TTL_MS, maxEntries: 20_000 });
  const teamGeneration = new Map<string, number>();
  const sessions = new SessionCache({ ttlMs: SESSION_TTL_MS });
  let unlisten: (() => Promise<void>)[] = [];

  const streamChanged = (username: string) => {
    views.invalidate(username);
    rooms.invalidate(username);
  };
  const restrictionsChanged = (streamId: string) => generation.set(streamId, (generation.get(streamId) ?? 0) + 1);
  const teamChanged = (streamId: string) => teamGeneration.set(streamId, (teamGeneration.get(streamId) ?? 0) + 1);
  const chatEvent = (payload: string) => {
    if (!payload.includes('"restricted"') && !payload.includes('"moderator"')) return;
    const { streamId, event } = JSON.parse(payload) as { streamId: string; event: { type: string } };
    if (event.type === "restricted") restrictionsChanged(streamId);
    if (event.type === "moderator") teamChanged(streamId);
  };
  /** After the bus was deaf, any entry may be stale: forget them all. */
  const forget = () => {
    for (const cache of [views, rooms, channelRestrictions, restrictions, teams, sessions]) cache.clear();
  };
  const heard = new Set<string>();
  const listening = (channel: string) => () => {
    if (heard.has(channel)) forget();
    heard.add(channel);
  };
  const sessionsChanged = (userId: string) => {
    sessions.invalidateUser(userId);
    views.clear();
    rooms.clear();
  };

  /** `findPublicStream`, cached: shared by every caller until it changes, so frozen. */
  function view(username: string): Promise<PublicStream | null> {
    return views.get(username, async () => {
      const found = await findPublicStream(db, username);
      return found && Object.freeze(found);
    });
  }

  async function listRestrictions(streamId: string): Promise<Map<string, Restriction> | "many"> {
    const rows = await activeRestrictions(db, streamId, MAX_LISTED + 1);
    return rows.length > MAX_LISTED ? "many" : new Map(rows.map(({ userId, ...restriction }) => [userId, restriction]));
  }

  async function loadRoom(username: string): Promise<LiveRoom> {
    const channel = await getChannel(db, username);
    const open = await findOpenBroadcast(db, channel.id);
    return { channel, open: open ? { id: open.id, roomName: open.roomName } : null };
  }

  return {
    sessions,
    view,
    /** Drops everything (the bus was deaf: any entry may be stale); `Fanout.onResync` calls it first. */
    forget,
    /** The public view (cached), or NOT_FOUND. */
    async publicStream(username: string): Promise<PublicStream> {
      const found = await view(username);
      if (!found) throw new TRPCError({ code: "NOT_FOUND", message: `No channel named "${username}"` });
      return found;
    },
    /** `getChannel` + `requireOpenBroadcast`, cached: NOT_FOUND, or PRECONDITION_FAILED while offline. */
    async liveRoom(username: string): Promise<{ channel: Channel; open: NonNullable<LiveRoom["open"]> }> {
      const { channel, open } = await rooms.get(username, () => loadRoom(username));
      if (!open) throw new TRPCError({ code: "PRECONDITION_FAILED", message: `${channel.username} is offline right now` });
      return { channel, open };
    },
    /** `activeRestriction`, cached; a timeout that has run out since is no restriction. */
    async restriction(streamId: string, userId: string): Promise<Restriction> {
      const channelKey = `${streamId}|${generation.get(streamId) ?? 0}`;
      const listed = await channelRestrictions.get(channelKey, () => listRestrictions(streamId));
      const found =
        listed === "many"
          ? await restrictions.get(`${channelKey}|${userId}`, () => activeRestriction(db, streamId, userId))
          : (listed.get(userId) ?? null);
      return found?.until && found.until.getTime() <= Date.now() ? null : found;
    },
    /** The channel's appointed moderators (user ids), cached until the team changes. */
    moderators(streamId: string): Promise<ReadonlySet<string>> {
      const key = `${streamId}|${teamGeneration.get(streamId) ?? 0}`;
      return teams.get(key, async () => new Set((await listModerators(db, streamId)).map((row) => row.userId)));
    },
    async start() {
      localChanges.on("stream", streamChanged).on("restriction", restrictionsChanged).on("moderators", teamChanged);
      accountChanges.on("change", sessionsChanged);
      unlisten = await Promise.all([
        handle.listen(STREAM_CHANNEL, streamChanged, listening(STREAM_CHANNEL)),
        handle.listen(CHAT_CHANNEL, chatEvent, listening(CHAT_CHANNEL)),
        handle.listen(ACCOUNT_CHANNEL, sessionsChanged, listening(ACCOUNT_CHANNEL)),
      ]);
    },
    async stop() {
      localChanges.off("stream", streamChanged).off("restriction", restrictionsChanged).off("moderators", teamChanged);
      accountChanges.off("change", sessionsChanged);
      await Promise.all(unlisten.map((stop) => stop()));
      unlisten = [];
      heard.clear();
    },
  };
}
export type ReadCache = ReturnType<typeof createReadCache>;
