import { sql, type SQL } from "drizzle-orm";
import type { Database } from "@onair/db";
import { publishNotifications } from "./notifications";

/**
 * Followers written per transaction: one INSERT … SELECT each for the bell and for mail. Small enough
 * that a go-live meanwhile barely waits (bench `alerts`: 10,000 took 3 s for 100,000 followers but
 * doubled `stream.goLive` p99; 2,000 takes 4 s and leaves it within noise).
 */
export const ALERT_BATCH = 2_000;
/** Email alerts: at most one per channel per this many hours to one follower… */
export const MAIL_CHANNEL_HOURS = 12;
/** …and at most this many a day to one follower. */
export const MAILS_PER_DAY = 10;
/**
 * Held by each batch to commit: notification ids commit in id order (a resume misses nothing) and the
 * mail limits are counted on what is committed.
 */
const ALERT_LOCK = 0x6f6e6161_6c657274n;

export async function rowsOf<T>(db: Database, query: SQL): Promise<T[]> {
  const answer: unknown = await db.execute(query);
  if (Array.isArray(answer)) return answer as T[];
  return (answer as { rows?: T[] }).rows ?? [];
}

/**
 * Marks media flowing in the broadcasts matching `where` (open, not flowing yet) and, the first time
 * in a broadcast, queues its go-live alerts, in one statement: a job per broadcast, whatever happens
 * to the media later. Returns how many broadcasts changed.
 */
export async function startPublishing(db: Database, where: SQL): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(
    db,
    sql`with changed as (
          update broadcast set publishing_at = now()
           where ended_at is null and publishing_at is null and ${where}
          returning id, stream_id
        ), queued as (
          insert into alert_job (broadcast_id, stream_id) select id, stream_id from changed
          on conflict (broadcast_id) do nothing
        )
        select count(*)::int as n from changed`,
  );
  return Number(row?.n ?? 0);
}

export interface BatchOutcome {
  jobId: number;
  notified: number;
  mailsQueued: number;
  done: boolean;
}

/**
 * Claims one pending go-live job (`FOR UPDATE SKIP LOCKED`: another worker takes another job or
 * waits for the next batch) and alerts its next `ALERT_BATCH` followers, in follower id order: a
 * `live` notification for those with in-app alerts (announced on commit), a queued mail for those with
 * email alerts within the limits. The job's cursor moves in the same transaction, so a batch is done
 * exactly once, whichever instance does it and whatever restarts. Null when no job is pending.
 */
export async function alertNextBatch(db: Database, batch = ALERT_BATCH): Promise<BatchOutcome | null> {
  return db.transaction(async (tx) => {
    const [job] = await rowsOf<{ id: string; stream_id: string; cursor: string | null; owner_id: string; username: string; title: string }>(
      tx,
      sql`select j.id, j.stream_id, j.cursor, s.user_id as owner_id, u.username, s.title
            from alert_job j join stream s on s.id = j.stream_id join "user" u on u.id = s.user_id
           where j.done_at is null
           order by j.id limit 1
             for update of j skip locked`,
    );
    if (!job) return null;
    const jobId = Number(job.id);
    const after = job.cursor ?? "";
    const [range] = await rowsOf<{ last: string | null }>(
      tx,
      sql`select max(follower_id) as last from (
            select follower_id from follow where following_id = ${job.owner_id} and follower_id > ${after}
             order by follower_id limit ${batch}) b`,
    );
    const last = range?.last ?? null;
    if (last === null) {
      await tx.execute(sql`update alert_job set done_at = now() where id = ${jobId}`);
      return { jobId, notified: 0, mailsQueued: 0, done: true };
    }
    await tx.execute(sql`select pg_advisory_xact_lock(${ALERT_LOCK})`);
    const inBatch = sql`f.following_id = ${job.owner_id} and f.follower_id > ${after} and f.follower_id <= ${last}`;
    const written = await rowsOf<{ id: string; user_id: string; created_at: string | Date }>(
      tx,
      sql`insert into notification (user_id, kind, stream_id)
          select f.follower_id, 'live', ${job.stream_id} from follow f where ${inBatch} and f.alert_in_app
          order by f.follower_id
          returning id, user_id, created_at`,
    );
    const mails = await rowsOf<{ n: number }>(
      tx,
      sql`with queued as (
            insert into alert_mail (user_id, stream_id)
            select f.follower_id, ${job.stream_id} from follow f
             where ${inBatch} and f.alert_email
               and not exists (select 1 from alert_mail m where m.user_id = f.follower_id and m.stream_id = ${job.stream_id}
                                  and m.created_at > now() - make_interval(hours => ${MAIL_CHANNEL_HOURS}))
               and (select count(*) from alert_mail m where m.user_id = f.follower_id
                       and m.created_at > now() - interval '1 day') < ${MAILS_PER_DAY}
            returning 1)
          select count(*)::int as n from queued`,
    );
    await tx.execute(sql`update alert_job set cursor = ${last} where id = ${jobId}`);
    if (written.length > 0) {
      const createdAt = new Date(written[0]!.created_at).toISOString();
      await publishNotifications(
        tx,
        { kind: "live", channel: { username: job.username, title: job.title }, createdAt },
        written.map((row) => ({ id: Number(row.id), userId: row.user_id })),
      );
    }
    return { jobId, notified: written.length, mailsQueued: Number(mails[0]?.n ?? 0), done: false };
  });
}
