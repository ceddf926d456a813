import { and, asc, desc, eq, ilike, isNotNull, isNull, or, sql } from "drizzle-orm";
import { broadcast, follow, stream, user, type Database, type Stream, type StreamMode } from "@onair/db";

/** The flat public view of a channel (`stream.byUsername`, `stream.onStatus`, directory items). */
export interface PublicStream {
  id: string;
  username: string;
  displayName: string;
  title: string;
  description: string | null;
  thumbnail: string | null;
  isLive: boolean;
  liveSince: Date | null;
  isPublishing: boolean;
  /** What feeds the current broadcast: the browser or streaming software (ingress); 'browser' while offline. */
  mode: StreamMode;
  /** The open broadcast is a development one without video (`goLive({ withoutVideo })`): never publishing. */
  withoutVideo: boolean;
  viewerCount: number;
  followerCount: number;
  isChatEnabled: boolean;
  isChatDelayed: boolean;
  isChatFollowersOnly: boolean;
  slowModeSeconds: number;
  followersOnlyMinutes: number;
}

const publicColumns = {
  stream,
  username: user.username,
  displayUsername: user.displayUsername,
  name: user.name,
  publishingAt: broadcast.publishingAt,
  mode: broadcast.mode,
  withoutVideo: broadcast.withoutVideo,
  followerCount: sql<number>`(select count(*)::int from ${follow} where ${follow.followingId} = ${stream.userId})`,
};

type PublicRow = {
  stream: Stream;
  username: string | null;
  displayUsername: string | null;
  name: string;
  publishingAt: Date | null;
  mode: StreamMode | null;
  withoutVideo: boolean | null;
  followerCount: number;
};

/** stream ⋈ user ⟕ its open broadcast */
export function selectPublic(db: Database) {
  return db
    .select(publicColumns)
    .from(stream)
    .innerJoin(user, eq(user.id, stream.userId))
    .leftJoin(broadcast, and(eq(broadcast.streamId, stream.id), isNull(broadcast.endedAt)));
}

export function toPublic(row: PublicRow): PublicStream {
  const s = row.stream;
  return {
    id: s.id,
    username: row.username ?? "",
    displayName: row.displayUsername ?? row.username ?? row.name,
    title: s.title,
    description: s.description,
    thumbnail: s.thumbnail,
    isLive: s.isLive,
    liveSince: s.liveSince,
    isPublishing: row.publishingAt !== null,
    mode: row.mode ?? "browser",
    withoutVideo: row.withoutVideo ?? false,
    viewerCount: s.viewerCount,
    followerCount: Number(row.followerCount),
    isChatEnabled: s.isChatEnabled,
    isChatDelayed: s.isChatDelayed,
    isChatFollowersOnly: s.isChatFollowersOnly,
    slowModeSeconds: s.slowModeSeconds,
    followersOnlyMinutes: s.followersOnlyMinutes,
  };
}

export async function findPublicStream(db: Database, username: string): Promise<PublicStream | null> {
  const [row] = await selectPublic(db).where(eq(user.username, username));
  return row ? toPublic(row) : null;
}

export async function findStreamByUserId(db: Database, userId: string): Promise<PublicStream | null> {
  const [row] = await selectPublic(db).where(eq(stream.userId, userId));
  return row ? toPublic(row) : null;
}

/** The id of the user's channel, or null when they have none. */
export async function findStreamId(db: Database, userId: string): Promise<string | null> {
  const [own] = await db.select({ id: stream.id }).from(stream).where(eq(stream.userId, userId));
  return own?.id ?? null;
}

/** Every approved creator has a stream; the default title uses their name until they set one. */
export async function ensureStream(db: Database, userId: string, username: string): Promise<void> {
  await db
    .insert(stream)
    .values({ userId, title: `${username}'s stream` })
    .onConflictDoNothing({ target: stream.userId });
}

export interface LiveListInput {
  cursor?: number | undefined;
  limit: number;
  query?: string | undefined;
}

// exactly the stream_live_order index's order, so the first page is an index scan
const liveOrder = sql`${stream.viewerCount} desc nulls last, ${stream.liveSince} desc nulls last, ${stream.id} desc nulls last`;

/** A channel is on air while its open broadcast's media flows (`isPublishing`), not merely open. */
const onAir = and(eq(stream.isLive, true), isNotNull(broadcast.publishingAt));

/** The directory's two queries, built once per database and prepared (the directory is read a lot). */
function prepareDirectory(db: Database) {
  const page = { limit: sql.placeholder("limit"), offset: sql.placeholder("offset") };
  const search = sql.placeholder("search");
  return {
    live: selectPublic(db).where(onAir).orderBy(liveOrder).limit(page.limit).offset(page.offset).prepare("directory_live"),
    search: selectPublic(db)
      .where(and(onAir, or(ilike(user.username, search), ilike(stream.title, search))))
      .orderBy(liveOrder)
      .limit(page.limit)
      .offset(page.offset)
      .prepare("directory_search"),
  };
}
const directories = new WeakMap<Database, ReturnType<typeof prepareDirectory>>();

/** Channels whose media flows, most viewers first; `cursor` is an offset into that order. */
export async function listLiveStreams(db: Database, input: LiveListInput) {
  let prepared = directories.get(db);
  if (!prepared) directories.set(db, (prepared = prepareDirectory(db)));
  const offset = input.cursor ?? 0;
  const page = { limit: input.limit + 1, offset };
  const rows = input.query
    ? await prepared.search.execute({ ...page, search: `%${input.query.replace(/[\\%_]/g, "\\$&")}%` })
    : await prepared.live.execute(page);
  const items = rows.slice(0, input.limit).map(toPublic);
  return { items, nextCursor: rows.length > input.limit ? offset + input.limit : null };
}

/** Channels `followerId` follows: live first (media flowing, then starting; most viewers first), then by name. */
export async function listFollowedStreams(db: Database, followerId: string): Promise<PublicStream[]> {
  const rows = await selectPublic(db)
    .innerJoin(follow, and(eq(follow.followingId, stream.userId), eq(follow.followerId, followerId)))
    .orderBy(desc(stream.isLive), sql`${broadcast.publishingAt} is null`, desc(stream.viewerCount), asc(user.username))
    .limit(200);
  return rows.map(toPublic);
}

/** Channels that were live recently and are not now, most recent first (the directory's second part). */
export async function listRecentlyLive(db: Database, limit: number): Promise<PublicStream[]> {
  const rows = await selectPublic(db)
    .where(and(eq(stream.isLive, false), sql`${stream.lastLiveAt} is not null`))
    .orderBy(sql`${stream.lastLiveAt} desc nulls last, ${stream.id} desc nulls last`)
    .limit(limit);
  return rows.map(toPublic);
}
