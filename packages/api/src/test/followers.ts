import { sql } from "drizzle-orm";
import type { Database } from "@onair/db";

/**
 * `count` accounts following `ownerId`, written set-based (no sign-up per account): ids and usernames
 * `<prefix>_<n>`; with `email` their follows have email alerts on. For alert suites and benches.
 */
export async function addFollowers(db: Database, ownerId: string, count: number, prefix: string, { email = false } = {}) {
  await db.execute(sql`
    insert into "user" (id, name, email, username)
    select ${prefix} || '_' || n, ${prefix} || ' ' || n, ${prefix} || '_' || n || '@example.test', ${prefix} || '_' || n
      from generate_series(1, ${count}) n`);
  await db.execute(sql`
    insert into follow (follower_id, following_id, alert_email)
    select ${prefix} || '_' || n, ${ownerId}, ${email} from generate_series(1, ${count}) n`);
}
