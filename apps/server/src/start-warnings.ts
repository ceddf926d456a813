import type { Env } from "./env";

/** What an operator must see at start, one line each (logged as warnings by main.ts). */
export function startWarnings(env: Env): string[] {
  const warnings: string[] = [];
  if (env.publicDefaults.length > 0) {
    warnings.push(
      `!!! DEVELOPMENT SERVER: ${env.publicDefaults.join(", ")} ${env.publicDefaults.length > 1 ? "are" : "is"} the public default — ` +
        `anyone can mint tokens and forge sessions with ${env.publicDefaults.length > 1 ? "them" : "it"}; listening on loopback only (${env.HOST}) !!!`,
    );
  }
  if (env.production && !env.SMTP_URL) {
    warnings.push(
      "Mail is off: SMTP_URL is not set, so no email verification or password-reset mail is sent (and ADMIN_EMAILS makes no admin, as no password reset can be mailed).",
    );
  }
  return warnings;
}
