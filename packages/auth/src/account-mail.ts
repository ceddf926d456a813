import { createHash, randomUUID } from "node:crypto";
import { APIError } from "better-auth/api";
import { and, eq, gt, like, lte, sql } from "drizzle-orm";
import { verification, type Database } from "@onair/db";
import { HOUR_MS, pruneQuotas, takeQuota } from "./mail-quota";

/** A mail Better Auth asks for: `url` is the link to follow (it carries a one-time token). */
export interface AuthMail {
  to: string;
  subject: string;
  text: string;
  url: string;
}

/** Where account-mail outcomes are told (pino's signature; Fastify's logger fits). */
export interface MailLog {
  info: (fields: object, message: string) => void;
  error: (fields: object, message: string) => void;
}

export interface AccountMailOptions {
  db: Database;
  send: (mail: AuthMail) => Promise<void>;
  /** MAIL_RATE_LIMIT: account mails sent to one address per hour; more requests answer as usual and send nothing. */
  perAddressPerHour: number;
  /** Requests for account mail (MAIL_REQUEST_PATHS) one client IP may make per hour; more are a 429. */
  perIpPerHour: number;
  log?: MailLog;
}

/** Better Auth endpoints where anyone may ask for a mail to an address they name. */
export const MAIL_REQUEST_PATHS = ["/request-password-reset", "/send-verification-email"] as const;

/** A verification link's token is JWT-signed (valid an hour): this record makes it single use. */
const LINK_PREFIX = "verify-email-link:";
const linkRecord = (token: string) => `${LINK_PREFIX}${createHash("sha256").update(token).digest("base64url")}`;
const LINK_USED = {
  code: "VERIFICATION_LINK_USED",
  message: "This confirmation link was already used or is no longer valid: sign in, or ask for a new confirmation mail.",
} as const;
/** Only a path on this site: a forged link must not make the refusal an open redirect. */
const isLocalPath = (url: unknown): url is string => typeof url === "string" && /^\/(?![/\\])/.test(url);

/**
 * Account mail (email verification, password reset): queued and sent in the background, so a request
 * answers in the same time whether the address has an account or not; at most `perAddressPerHour` mails
 * to one address (PostgreSQL-backed, across instances); verification links work once.
 */
export function createAccountMail(options: AccountMailOptions) {
  const { db, log } = options;
  const pending = new Set<Promise<void>>();
  let prunedAt = 0;

  function inBackground(work: () => Promise<void>) {
    const task: Promise<void> = work()
      .catch((error: unknown) => log?.error({ err: error }, "account mail failed"))
      .finally(() => pending.delete(task));
    pending.add(task);
  }

  /** Sends `mail` in the background once the address's quota allows it; `prepare` runs just before sending. */
  function queue(mail: AuthMail, prepare?: () => Promise<void>) {
    inBackground(async () => {
      if (Date.now() - prunedAt > 10 * 60_000) {
        prunedAt = Date.now();
        await pruneQuotas(db);
        await db.delete(verification).where(and(like(verification.identifier, `${LINK_PREFIX}%`), lte(verification.expiresAt, sql`now()`)));
      }
      const quota = await takeQuota(db, `address:${mail.to.toLowerCase()}`, options.perAddressPerHour);
      if (!quota.taken) {
        log?.info(
          { mail: { to: mail.to, subject: mail.subject }, mailRateLimit: options.perAddressPerHour },
          `account mail to ${mail.to} not sent: MAIL_RATE_LIMIT (${options.perAddressPerHour} an hour) reached`,
        );
        return;
      }
      await prepare?.();
      await options.send(mail);
    });
  }

  /** A verification mail: its link is recorded (hashed) when sent, and consumed by its first use. */
  function queueVerification(mail: AuthMail, token: string, userId: string) {
    queue(mail, async () => {
      const expiresAt = new Date(Date.now() + HOUR_MS);
      await db.insert(verification).values({ id: randomUUID(), identifier: linkRecord(token), value: userId, expiresAt });
    });
  }

  /** Before /verify-email runs: a link not sent by us, or already used, is refused (and signs no one in). */
  async function consumeLink(query: { token?: unknown; callbackURL?: unknown } | undefined, redirect: (url: string) => Error) {
    const token = typeof query?.token === "string" ? query.token : "";
    const used = await db
      .delete(verification)
      .where(and(eq(verification.identifier, linkRecord(token)), gt(verification.expiresAt, sql`now()`)))
      .returning({ id: verification.id });
    if (used.length > 0) return;
    const callback = query?.callbackURL;
    if (isLocalPath(callback)) throw redirect(`${callback}${callback.includes("?") ? "&" : "?"}error=${LINK_USED.code}`);
    throw new APIError("BAD_REQUEST", LINK_USED);
  }

  /** Before a mail request (MAIL_REQUEST_PATHS): counts it for the client IP, or refuses it with a 429. */
  async function countRequest(clientIp: string | null) {
    if (!clientIp) return; // in-process calls: not a client
    const quota = await takeQuota(db, `ip:${clientIp}`, options.perIpPerHour);
    if (quota.taken) return;
    throw new APIError(
      "TOO_MANY_REQUESTS",
      { code: "TOO_MANY_MAIL_REQUESTS", message: `Too many account mails asked from this address: wait ${quota.retryAfterSeconds} s` },
      { "retry-after": String(quota.retryAfterSeconds) },
    );
  }

  return {
    queue,
    queueVerification,
    consumeLink,
    countRequest,
    /** Resolves once every queued mail is sent or given up (tests; shutdown). */
    idle: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

export type AccountMail = ReturnType<typeof createAccountMail>;
