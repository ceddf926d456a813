import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { bearer, username } from "better-auth/plugins";
import { openWallet, schema, type Database } from "@onair/db";
import { checkSignInFields } from "./required-fields";
import { announceAccountChange, promoteIfFirst, promoteIfListed } from "./roles";
import { displayUsernameProblem, usernameProblem } from "./username";

export { fromNodeHeaders } from "better-auth/node";
export * from "./username";
export { readSession } from "./session-reader";
export { ACCOUNT_CHANNEL, accountChanges, setRole, type RoleChange } from "./roles";

export interface AuthOptions {
  db: Database;
  secret: string;
  /** The origin browsers use (PUBLIC_URL). */
  baseURL: string;
  trustedOrigins: string[];
  adminEmails: string[];
  /**
   * Production: an ADMIN_EMAILS address makes an admin only once its email is verified; signing up
   * never does. Otherwise such accounts are admins from sign-up.
   */
  adminEmailsNeedVerification?: boolean;
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
}

/** A mail Better Auth asks for: `url` is the link to follow (it carries a one-time token). */
export interface AuthMail {
  to: string;
  subject: string;
  text: string;
  url: string;
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
  const adminAtSignUp = (email: string) => !options.adminEmailsNeedVerification && adminEmails.has(email.toLowerCase());

  return betterAuth({
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
      sendResetPassword: sendMail
        ? ({ user, url }) =>
            sendMail({
              to: user.email,
              subject: "Reset your OnAir password",
              text: `Someone asked to reset the password of your OnAir account. If it was you, open this link within an hour:\n\n${url}\n\nIf not, ignore this mail.`,
              url,
            })
        : undefined,
    },
    emailVerification: sendMail
      ? {
          sendOnSignUp: true,
          autoSignInAfterVerification: true,
          sendVerificationEmail: ({ user, url }) =>
            sendMail({
              to: user.email,
              subject: "Confirm your email for OnAir",
              text: `Open this link to confirm your email address:\n\n${url}`,
              url,
            }),
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
          after: async (user) => {
            // Email verified (or changed to a verified one): ADMIN_EMAILS takes effect now.
            await promoteIfListed(db, user, adminEmails);
            await announceAccountChange(db, user.id);
          },
        },
        delete: { after: (user) => announceAccountChange(db, user.id) },
      },
      session: { delete: { after: (session) => announceAccountChange(db, session.userId) } },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
export type AuthSession = NonNullable<Awaited<ReturnType<Auth["api"]["getSession"]>>>;
