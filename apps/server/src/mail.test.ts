import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { eq } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_LIVEKIT, TEST_PASSWORD } from "@onair/api/testing";
import { user } from "@onair/db";
import { createTestDatabase, type TestDatabaseHandle } from "@onair/db/testing";
import { buildApp } from "./app";
import { loadEnv } from "./env";
import { urlForLog } from "./log-redact";
import { createMailer } from "./mail";

/** Account mail through a real SMTP server (in-process, on loopback): the links work, and never reach the log in production. */

type Received = { to: string; raw: string };
const inbox: Received[] = [];
const waiting: (() => void)[] = [];
const scratch = mkdtempSync(path.join(tmpdir(), "onair-mail-"));
const logLines: string[] = [];

let smtp: SMTPServer;
let handle: TestDatabaseHandle;
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      let raw = "";
      stream.on("data", (chunk: Buffer) => (raw += chunk.toString()));
      stream.on("end", () => {
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address).join(","), raw });
        for (const wake of waiting.splice(0)) wake();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const { port } = smtp.server.address() as AddressInfo;
  handle = await createTestDatabase();
  const env = loadEnv({
    NODE_ENV: "production",
    PUBLIC_URL: "http://localhost:3000",
    BETTER_AUTH_SECRET: "mail-test-secret-0123456789abcdefghijklmnop",
    LIVEKIT_API_KEY: TEST_LIVEKIT.apiKey,
    LIVEKIT_API_SECRET: TEST_LIVEKIT.apiSecret,
    SMTP_URL: `smtp://127.0.0.1:${port}`,
    ADMIN_EMAILS: "boss@example.com",
    SWEEP_INTERVAL_MS: "0",
    WEB_DIST: path.join(scratch, "no-web"),
  });
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  app = await buildApp({ env, database: handle, logger: { level: "trace", stream } });
});
afterAll(async () => {
  await app?.close();
  await handle?.close();
  await new Promise<void>((resolve) => (smtp ? smtp.close(resolve) : resolve()));
  rmSync(scratch, { recursive: true, force: true });
});

/** The next mail to `to` whose subject matches (waits for it: it is sent while the request runs or just after). */
async function mailTo(to: string, subject: RegExp, deadlineMs = 20_000): Promise<{ raw: string; link: URL }> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const index = inbox.findIndex((mail) => mail.to === to && subject.test(mail.raw.replace(/=\r?\n/g, "")));
    if (index >= 0) {
      const [mail] = inbox.splice(index, 1);
      // Quoted-printable soft line breaks and =3D aside, the link is on a line of its own.
      const text = mail!.raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
      const link = /https?:\/\/\S+/.exec(
        text
          .split(/\r?\n\r?\n/)
          .slice(1)
          .join("\n"),
      )?.[0];
      expect(link, mail!.raw).toBeDefined();
      return { raw: mail!.raw, link: new URL(link!) };
    }
    if (Date.now() > deadline) throw new Error(`no mail to ${to} matching ${subject}`);
    await new Promise<void>((resolve) => {
      waiting.push(resolve);
      setTimeout(resolve, 1000);
    });
  }
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  app.inject({
    method: "POST",
    url,
    headers: { "content-type": "application/json", origin: "http://localhost:3000", ...headers },
    payload: JSON.stringify(body),
  });
const get = (link: URL) => app.inject({ method: "GET", url: `${link.pathname}${link.search}` });
const row = async (email: string) => (await handle.db.select().from(user).where(eq(user.email, email)))[0];

describe("account mail over SMTP (production)", () => {
  it("sign-up mails a verification link; following it verifies the email, and only then ADMIN_EMAILS makes the admin", async () => {
    const res = await post("/api/auth/sign-up/email", {
      email: "boss@example.com",
      password: TEST_PASSWORD,
      name: "boss",
      username: "boss",
      callbackURL: "/verify-email",
    });
    expect(res.statusCode).toBe(200);
    expect(await row("boss@example.com")).toMatchObject({ emailVerified: false, role: "user" });

    const { raw, link } = await mailTo("boss@example.com", /Subject: Confirm your email for OnAir/);
    expect(raw).toMatch(/From: OnAir <no-reply@localhost>/);
    expect(link.origin).toBe("http://localhost:3000");
    expect(link.pathname).toBe("/api/auth/verify-email");
    const followed = await get(link);
    expect(followed.statusCode).toBe(302);
    expect(followed.headers.location).toBe("/verify-email");
    expect(await row("boss@example.com")).toMatchObject({ emailVerified: true, role: "admin" });
  });

  it("a verified address that is not listed stays a user", async () => {
    await post("/api/auth/sign-up/email", { email: "plain@example.com", password: TEST_PASSWORD, name: "plain", username: "plain" });
    const { link } = await mailTo("plain@example.com", /Confirm your email/);
    await get(link);
    expect(await row("plain@example.com")).toMatchObject({ emailVerified: true, role: "user" });
  });

  it("forgot password mails a reset link that leads to the reset page, and the reset changes the password", async () => {
    await post("/api/auth/sign-up/email", { email: "forgetful@example.com", password: TEST_PASSWORD, name: "f", username: "forgetful" });
    const asked = await post("/api/auth/request-password-reset", { email: "forgetful@example.com", redirectTo: "/reset-password" });
    expect(asked.statusCode).toBe(200);
    const { link } = await mailTo("forgetful@example.com", /Subject: Reset your OnAir password/);
    expect(link.pathname).toMatch(/^\/api\/auth\/reset-password\/[\w-]+$/);

    const landing = await get(link);
    expect(landing.statusCode).toBe(302);
    const page = new URL(String(landing.headers.location), "http://localhost:3000");
    expect(page.pathname).toBe("/reset-password");
    const token = page.searchParams.get("token");
    expect(token).toBeTruthy();

    const reset = await post("/api/auth/reset-password", { newPassword: "a-brand-new-password", token });
    expect(reset.statusCode).toBe(200);
    const signIn = (password: string) => post("/api/auth/sign-in/email", { email: "forgetful@example.com", password });
    expect((await signIn("a-brand-new-password")).statusCode).toBe(200);
    expect((await signIn(TEST_PASSWORD)).statusCode).toBe(401);
    // The link works once.
    expect((await post("/api/auth/reset-password", { newPassword: "yet-another-password", token })).statusCode).toBe(400);
  });

  it("asking for an unknown address answers the same and sends nothing", async () => {
    const asked = await post("/api/auth/request-password-reset", { email: "nobody@example.com", redirectTo: "/reset-password" });
    expect(asked.statusCode).toBe(200);
    await expect(mailTo("nobody@example.com", /Reset/, 1500)).rejects.toThrow(/no mail/);
  });

  it("no token or link ever reached the log", () => {
    const log = logLines.join("");
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toMatch(/verify-email\?token|reset-password\/[\w-]{10,}|token=/);
  });
});

describe("urlForLog", () => {
  it("hides the tokens of account links, and nothing else", () => {
    expect(urlForLog("/api/auth/verify-email?token=abc.def&callbackURL=/x")).toBe("/api/auth/verify-email?[redacted]");
    expect(urlForLog("/api/auth/reset-password/Tok3n?callbackURL=/reset-password")).toBe("/api/auth/reset-password/[redacted]?[redacted]");
    expect(urlForLog("/trpc/stream.byUsername?input=1")).toBe("/trpc/stream.byUsername?input=1");
  });
});

describe("without SMTP_URL", () => {
  it("outside production, each mail is one log line with recipient, subject and link", async () => {
    const lines: unknown[] = [];
    const log = { info: (...args: unknown[]) => lines.push(args) } as never;
    const send = createMailer({ SMTP_URL: undefined, MAIL_FROM: "x", production: false }, log);
    await send!({
      to: "dev@example.com",
      subject: "Confirm your email for OnAir",
      text: "…",
      url: "http://localhost:3000/api/auth/verify-email?token=abc",
    });
    expect(lines).toEqual([
      [
        {
          mail: {
            to: "dev@example.com",
            subject: "Confirm your email for OnAir",
            link: "http://localhost:3000/api/auth/verify-email?token=abc",
          },
        },
        'mail to dev@example.com: "Confirm your email for OnAir" http://localhost:3000/api/auth/verify-email?token=abc',
      ],
    ]);
  });

  it("in production, mail is off", () => {
    expect(createMailer({ SMTP_URL: undefined, MAIL_FROM: "x", production: true }, {} as never)).toBeUndefined();
  });
});
