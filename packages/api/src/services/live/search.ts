import { desc, ilike, or, sql } from "drizzle-orm";
import { broadcast, follow, stream, user, type Database } from "@onair/db";
import { selectPublic, toPublic } from "./streams";

export interface SearchInput {
  query: string;
  cursor?: number | undefined;
  limit: number;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, "\\$&");

/**
 * Channels whose username or title contains `query` (any case; a prefix is a substring), live or not:
 * live ones first (media flowing, then open), then by followers, then by name. `ILIKE '%…%'` uses the
 * trigram indexes of migration 0004. `cursor` is an offset into that order.
 */
export async function searchChannels(db: Database, input: SearchInput) {
  const offset = input.cursor ?? 0;
  const contains = `%${escapeLike(input.query)}%`;
  const followers = sql`(select count(*) from ${follow} where ${follow.followingId} = ${stream.userId})`;
  const rows = await selectPublic(db)
    .where(or(ilike(user.username, contains), ilike(stream.title, contains)))
    .orderBy(desc(sql`${broadcast.publishingAt} is not null`), desc(stream.isLive), desc(followers), sql`${user.username} asc`)
    .limit(input.limit + 1)
    .offset(offset);
  const items = rows.slice(0, input.limit).map(toPublic);
  return { items, nextCursor: rows.length > input.limit ? offset + input.limit : null };
}
