import type { FastifyBaseLogger } from "fastify";
import { createTransport } from "nodemailer";
import type { AuthMail } from "@onair/auth";
import type { Env } from "./env";

/** Account mail, or a go-live alert (whose `headers` carry its one-click unsubscribe). */
export type SendMail = (mail: AuthMail & { headers?: Record<string, string> }) => Promise<void>;

/**
 * How the server sends account mail (email verification, password reset): SMTP through nodemailer
 * when SMTP_URL is set; outside production without it, one log line per mail (recipient, subject,
 * link) for the developer to click; in production without it, none (mail is off: see startWarnings).
 * A link carries a one-time token: it is never logged in production.
 */
export function createMailer(env: Pick<Env, "SMTP_URL" | "MAIL_FROM" | "production">, log: FastifyBaseLogger): SendMail | undefined {
  if (env.SMTP_URL) {
    const transport = createTransport(env.SMTP_URL);
    return async ({ to, subject, text, headers }) => {
      try {
        await transport.sendMail({ from: env.MAIL_FROM, to, subject, text, headers });
      } catch (error) {
        // Not the text: it holds the link.
        log.error({ err: error, to, subject }, "could not send mail");
        throw error;
      }
    };
  }
  if (env.production) return undefined;
  return async ({ to, subject, url }) => {
    log.info({ mail: { to, subject, link: url } }, `mail to ${to}: "${subject}" ${url}`);
  };
}
