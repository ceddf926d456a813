import { createHmac, timingSafeEqual } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { sql } from "drizzle-orm";
import { follow, type Database } from "@onair/db";
import { rowsOf } from "./alert-jobs";

/** A go-live mail: `url` is the channel; `headers` carry the one-click unsubscribe (RFC 8058). */
export interface AlertMail {
  to: string;
  subject: string;
  text: string;
  url: string;
  headers: Record<string, string>;
}

/** Where unsubscribe links point (POST: one click, no sign-in; GET: a page with the button). */
export const UNSUBSCRIBE_PATH = "/api/alerts/unsubscribe";
/** Mails claimed at once; a claim older than this (the sender died) is taken again. */
const MAIL_BATCH = 50;
const CLAIM_MINUTES = 5;

const keyOf = (secret: string) => createHmac("sha256", secret).update("onair go-live alert unsubscribe").digest();
const macOf = (secret: string, body: string) => createHmac("sha256", keyOf(secret)).update(body).digest("base64url");

/** A token naming one follow (follower → channel owner), signed with the server's secret. */
export function unsubscribeToken(secret: string, followerId: string, ownerId: string): string {
  const body = Buffer.from(`${followerId}\n${ownerId}`).toString("base64url");
  return `${body}.${macOf(secret, body)}`;
}

/** The follow a token names, or null when it was not signed with `secret` (forged, altered, truncated). */
export function readUnsubscribeToken(secret: string, token: string): { followerId: string; ownerId: string } | null {
  const [body, mac, extra] = token.split(".");
  if (!body || !mac || extra !== undefined) return null;
  const expected = Buffer.from(macOf(secret, body));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const [followerId, ownerId, more] = Buffer.from(body, "base64url").toString().split("\n");
  if (!followerId || !ownerId || more !== undefined) return null;
  return { followerId, ownerId };
}

/**
 * One-click unsubscribe: turns off the email alerts of the follow the token names. "invalid" for a
 * token not signed by us; "done" otherwise (also when the follow is gone or mail was already off).
 */
export async function unsubscribeByToken(db: Database, secret: string, token: string): Promise<"done" | "invalid"> {
  const follow_ = readUnsubscribeToken(secret, token);
  if (!follow_) return "invalid";
  await db
    .update(follow)
    .set({ alertEmail: false })
    .where(and(eq(follow.followerId, follow_.followerId), eq(follow.followingId, follow_.ownerId)));
  return "done";
}

export interface AlertMailOptions {
  db: Database;
  /** How mail leaves (SMTP, or the log in development); undefined: mail is off, queued mails are dropped. */
  send: ((mail: AlertMail) => Promise<void>) | undefined;
  publicUrl: string;
  secret: string;
}

/**
 * Claims queued go-live mails (a few dozen, `FOR UPDATE SKIP LOCKED`, so instances never take the
 * same) and sends them; a mail is marked sent once its transport accepted it. Returns how many were sent.
 */
export async function sendQueuedAlertMails({ db, send, publicUrl, secret }: AlertMailOptions): Promise<number> {
  const claimed = await rowsOf<{ id: string; email: string; follower_id: string; owner_id: string; username: string; title: string }>(
    db,
    sql`with claimed as (
          update alert_mail set claimed_at = now()
           where id in (select id from alert_mail
                         where sent_at is null and (claimed_at is null or claimed_at < now() - make_interval(mins => ${CLAIM_MINUTES}))
                         order by id limit ${MAIL_BATCH} for update skip locked)
          returning id, user_id, stream_id)
        select c.id, fu.email, c.user_id as follower_id, s.user_id as owner_id, ou.username, s.title
          from claimed c join "user" fu on fu.id = c.user_id join stream s on s.id = c.stream_id join "user" ou on ou.id = s.user_id`,
  );
  let sent = 0;
  for (const row of claimed) {
    if (send) {
      const channelUrl = new URL(`/${row.username}`, publicUrl).href;
      const unsubscribe = new URL(`${UNSUBSCRIBE_PATH}?token=${unsubscribeToken(secret, row.follower_id, row.owner_id)}`, publicUrl).href;
      await send({
        to: row.email,
        subject: `${row.username} is live: ${row.title}`,
        text: `${row.username} just went live on OnAir: ${row.title}\n\nWatch: ${channelUrl}\n\nNo more mail when ${row.username} goes live: ${unsubscribe}\n`,
        url: channelUrl,
        headers: { "List-Unsubscribe": `<${unsubscribe}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
      });
      sent++;
    }
    await db.execute(sql`update alert_mail set sent_at = now() where id = ${Number(row.id)}`);
  }
  return sent;
}
