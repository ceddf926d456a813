import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { bearer, username } from "better-auth/plugins";
import { openWallet, schema, type Database } from "@onair/db";
import { createAccountMail, MAIL_REQUEST_PATHS, type AuthMail, type MailLog } from "./account-mail";
import { checkSignInFields } from "./required-fields";
import { announceAccountChange, promoteAfterReset, promoteIfFirst } from "./roles";
import { displayUsernameProblem, usernameProblem } from "./username";

export interface AuthOptions {
  db: Database;
  secret: string;
  /** The origin browsers use (PUBLIC_URL). */
  baseURL: string;
  trustedOrigins: string[];
  adminEmails: string[];
  /**
   * Production: an ADMIN_EMAILS address becomes admin only when its owner completes a password reset
   * mailed to it (which ends every session opened before it); sign-up and verification never make one.
   * Otherwise such an account is admin from sign-up too. Either way `revoke` holds until `grant`.
   */
  adminEmailsNeedReset?: boolean;
  /** Outside production with no ADMIN_EMAILS, the first account created becomes admin. */
  firstUserIsAdmin: boolean;
  /** Coins every new account starts with (WELCOME_COINS); default 100. */
  welcomeCoins?: number;
  /**
   * Password checks (PASSWORD_PATHS) allowed per client IP per minute by Better Auth's own limiter, a
   * backstop behind the server's; it counts requests carrying CLIENT_IP_HEADER. Unset: off.
   */
  passwordAttemptsPerMinute?: number;
  /**
   * Sends one mail (SMTP, or the log in development). Set: sign-up sends an email verification link,
   * and "forgot password" sends a reset link. Unset: mail is off (neither exists).
   */
  sendMail?: (mail: AuthMail) => Promise<void>;
  /** MAIL_RATE_LIMIT: account mails to one address per hour (default 5); more requests send nothing. */
  mailsPerAddressPerHour?: number;
  /** Requests for account mail (MAIL_REQUEST_PATHS) per client IP per hour; default 4 × mailsPerAddressPerHour. */
  mailRequestsPerIpPerHour?: number;
  /** Where unsent (limited) and failed account mail is told. */
  mailLog?: MailLog;
}

/** Better Auth endpoints that check a password: rate-limited per client IP (paths under /api/auth). */
export const PASSWORD_PATHS = ["/sign-in/email", "/sign-in/username", "/sign-up/email", "/change-password"] as const;
/**
 * The client's IP as the HTTP server determined it (TRUST_PROXY), set by the server on every request it
 * hands Better Auth (any such header from the client is replaced): Better Auth's limiter and session
 * records read it instead of X-Forwarded-For.
 */
export const CLIENT_IP_HEADER = "x-onair-client-ip";

function rateLimitFor(perMinute: number | undefined) {
  if (perMinute === undefined) return { enabled: false };
  const rule = (request: Request) => (request.headers.get(CLIENT_IP_HEADER) ? { window: 60, max: perMinute } : false);
  const customRules = Object.fromEntries(PASSWORD_PATHS.map((path) => [path, rule]));
  // Every other path: not limited here (first matching rule wins).
  return { enabled: true, storage: "memory" as const, customRules: { ...customRules, "/**": false as const } };
}

/** A displayUsername, if given, is the username apart from letter case; a new username brings its own. */
function checkDisplayUsername(body: Record<string, unknown>, username: string | undefined) {
  if (body.displayUsername === undefined) {
    if (body.username !== undefined) body.displayUsername = username;
    return;
  }
  const problem = displayUsernameProblem(body.displayUsername, username);
  if (problem) throw new APIError("BAD_REQUEST", { message: problem, code: "INVALID_DISPLAY_USERNAME" });
}

export function createAuth(options: AuthOptions) {
  const { db } = options;
  const adminEmails = new Set(options.adminEmails.map((email) => email.toLowerCase()));

  const { sendMail } = options;
  const adminAtSignUp = (email: string) => !options.adminEmailsNeedReset && adminEmails.has(email.toLowerCase());
  const perAddressPerHour = options.mailsPerAddressPerHour ?? 5;
  const mail = createAccountMail({
    db,
    send: sendMail ?? (async () => {}),
    perAddressPerHour,
    perIpPerHour: options.mailRequestsPerIpPerHour ?? 4 * perAddressPerHour,
    log: options.mailLog,
  });

  const auth = betterAuth({
    appName: "OnAir",
    basePath: "/api/auth",
    baseURL: options.baseURL,
    secret: options.secret,
    trustedOrigins: options.trustedOrigins,
    database: drizzleAdapter(db, { provider: "pg", schema }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      revokeSessionsOnPasswordReset: true,
      // Queued: the request answers at once, mail or not (no timing tells whether the account exists).
      sendResetPassword: sendMail
        ? async ({ user, url }) =>
            mail.queue({
              to: user.email,
              subject: "Reset your OnAir password",
              text: `Someone asked to reset the password of your OnAir account. If it was you, open this link within an hour:\n\n${url}\n\nIf not, ignore this mail.`,
              url,
            })
        : undefined,
      // The reset proves the mailbox: a listed address becomes admin now, never by sign-up or verification.
      onPasswordReset: async ({ user }) => {
        await promoteAfterReset(db, user.id, adminEmails);
        await announceAccountChange(db, user.id); // the sessions it ended leave every cache at once
      },
    },
    emailVerification: sendMail
      ? {
          sendOnSignUp: true,
          autoSignInAfterVerification: true,
          sendVerificationEmail: async ({ user, url, token }) =>
            mail.queueVerification(
              {
                to: user.email,
                subject: "Confirm your email for OnAir",
                text: `Open this link to confirm your email address:\n\n${url}`,
                url,
              },
              token,
              user.id,
            ),
        }
      : undefined,
    user: {
      additionalFields: {
        role: { type: "string", input: false, required: false, defaultValue: "user" },
      },
    },
    // The server limits password checks per IP on the normalised path (apps/server); this is the backstop.
    rateLimit: rateLimitFor(options.passwordAttemptsPerMinute),
    telemetry: { enabled: false },
    // Better Auth turns its Origin/CSRF check off by itself when NODE_ENV is "test" (or TEST is set);
    // PUBLIC_URL (+ TRUSTED_ORIGINS) must stay the only origins trusted for cookie auth in every mode.
    advanced: { disableOriginCheck: false, ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] } },
    plugins: [
      username({
        minUsernameLength: 3,
        maxUsernameLength: 30,
        usernameValidator: (name) => usernameProblem(name) === null,
      }),
      bearer(),
    ],
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        checkSignInFields(ctx.path, ctx.body);
        if (ctx.path === "/sign-up/email") {
          const name: unknown = (ctx.body as { username?: unknown } | undefined)?.username;
          if (typeof name !== "string" || name.length === 0) {
            throw new APIError("BAD_REQUEST", { message: "username is required", code: "USERNAME_REQUIRED" });
          }
          const problem = usernameProblem(name);
          if (problem) throw new APIError("BAD_REQUEST", { message: problem, code: "INVALID_USERNAME" });
          checkDisplayUsername(ctx.body as Record<string, unknown>, name);
        } else if ((MAIL_REQUEST_PATHS as readonly string[]).includes(ctx.path)) {
          await mail.countRequest(ctx.headers?.get(CLIENT_IP_HEADER) ?? null);
        } else if (ctx.path === "/verify-email") {
          await mail.consumeLink(ctx.query, (url) => ctx.redirect(url));
        } else if (ctx.path === "/update-user") {
          const body = (ctx.body ?? {}) as Record<string, unknown>;
          if (typeof body.username === "string") checkDisplayUsername(body, body.username);
          // Only a new display form: checked against the account's username in databaseHooks.user.update.before.
        }
      }),
    },
    databaseHooks: {
      user: {
        create: {
          before: async (user) => ({ data: { ...user, role: adminAtSignUp(user.email) ? "admin" : "user" } }),
          after: async (user) => {
            await openWallet(db, user.id, options.welcomeCoins ?? 100);
            if (options.firstUserIsAdmin) await promoteIfFirst(db, user.id);
          },
        },
        update: {
          before: async (data, context) => {
            if (data.displayUsername === undefined || typeof data.username === "string") return;
            const session = (context?.context as { session?: { user?: { username?: string | null } } } | undefined)?.session;
            const problem = displayUsernameProblem(data.displayUsername, session?.user?.username);
            if (problem) throw new APIError("BAD_REQUEST", { message: problem, code: "INVALID_DISPLAY_USERNAME" });
          },
          // No role change here: ADMIN_EMAILS acts only on a completed password reset (onPasswordReset).
          after: (user) => announceAccountChange(db, user.id),
        },
        delete: { after: (user) => announceAccountChange(db, user.id) },
      },
      session: { delete: { after: (session) => announceAccountChange(db, session.userId) } },
    },
  });
  return Object.assign(auth, { accountMail: mail });
}

export type Auth = ReturnType<typeof createAuth>;
export type AuthSession = NonNullable<Awaited<ReturnType<Auth["api"]["getSession"]>>>;
