import { eq } from "drizzle-orm";
import { user, type Database } from "@onair/db";
import { CLIENT_IP_HEADER, createAuth, type AuthMail, type AuthOptions } from "./index";

/** Helpers for this package's tests: Better Auth driven through its HTTP handler, mail caught in an inbox. */

export const TEST_PASSWORD = "correct-horse-battery";
const BASE = "http://localhost:3000";

export function testAuth(db: Database, options: Partial<AuthOptions> = {}) {
  const inbox: AuthMail[] = [];
  const auth = createAuth({
    db,
    secret: "onair-auth-test-secret-0123456789abcdefghij",
    baseURL: BASE,
    trustedOrigins: [BASE],
    adminEmails: [],
    firstUserIsAdmin: false,
    sendMail: async (mail) => void inbox.push(mail),
    ...options,
  });

  async function call(method: "GET" | "POST", path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await auth.handler(
      new Request(new URL(path, BASE), {
        method,
        headers: { "content-type": "application/json", origin: BASE, ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      // not JSON (a redirect)
    }
    return { status: response.status, headers: response.headers, body: json };
  }

  /** Mails sent to `to` so far, after every queued one went out. */
  async function mailsTo(to: string, subject = /./) {
    await auth.accountMail.idle();
    return inbox.filter((mail) => mail.to === to && subject.test(mail.subject));
  }

  return {
    auth,
    inbox,
    call,
    mailsTo,
    signUp: async (email: string, username: string) => {
      const result = await call("POST", "/api/auth/sign-up/email", { email, username, name: username, password: TEST_PASSWORD });
      return { ...result, bearer: `Bearer ${result.headers.get("set-auth-token")}` };
    },
    /** Asks for a reset link as a client at `ip` would, follows the newest one, and sets `password`. */
    resetPassword: async (email: string, password: string, ip = "192.0.2.1") => {
      await call("POST", "/api/auth/request-password-reset", { email, redirectTo: "/reset-password" }, { [CLIENT_IP_HEADER]: ip });
      const link = (await mailsTo(email, /Reset/)).at(-1);
      if (!link) throw new Error(`no reset mail to ${email}`);
      const token = new URL(link.url).pathname.split("/").at(-1);
      return call("POST", "/api/auth/reset-password", { token, newPassword: password });
    },
    /** Follows the newest mailed link to `to` whose subject matches. */
    followLink: async (to: string, subject: RegExp) => {
      const url = new URL((await mailsTo(to, subject)).at(-1)!.url);
      return call("GET", `${url.pathname}${url.search}`);
    },
    roleOf: async (email: string) => (await db.select({ role: user.role }).from(user).where(eq(user.email, email)))[0]?.role,
  };
}
