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
import { createTestDatabase, until, type TestDatabaseHandle } from "@onair/db/testing";
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
  await app.listen({ port: 0, host: "127.0.0.1" });
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

/** `admin.grantCoins` with this bearer token, through the fast lane (the listening server) and through Fastify: both statuses. */
async function grantCoins(authorization: string) {
  const body = JSON.stringify({ json: { username: "plain", amount: 1, reason: "test grant" } });
  const headers = { "content-type": "application/json", authorization };
  const { port } = app.server.address() as AddressInfo;
  const lane = await fetch(`http://127.0.0.1:${port}/trpc/admin.grantCoins`, { method: "POST", headers, body });
  const fastify = await app.inject({ method: "POST", url: "/trpc/admin.grantCoins", headers, payload: body });
  return [lane.status, fastify.statusCode];
}

describe("account mail over SMTP (production)", () => {
  it("a listed address registered by someone else: verification makes no admin; the owner's reset does, and ends the squatter's session", async () => {
    await post("/api/auth/sign-up/email", { email: "plain@example.com", password: TEST_PASSWORD, name: "plain", username: "plain" });
    const res = await post("/api/auth/sign-up/email", {
      email: "boss@example.com",
      password: TEST_PASSWORD,
      name: "boss",
      username: "boss",
      callbackURL: "/verify-email",
    });
    expect(res.statusCode).toBe(200);
    const squatter = `Bearer ${String(res.headers["set-auth-token"])}`;
    expect(await row("boss@example.com")).toMatchObject({ emailVerified: false, role: "user" });

    // The real owner receives "Confirm your email" and clicks it.
    const { raw, link } = await mailTo("boss@example.com", /Subject: Confirm your email for OnAir/);
    expect(raw).toMatch(/From: OnAir <no-reply@localhost>/);
    expect(link.origin).toBe("http://localhost:3000");
    expect(link.pathname).toBe("/api/auth/verify-email");
    const followed = await get(link);
    expect(followed.statusCode).toBe(302);
    expect(followed.headers.location).toBe("/verify-email");
    expect(await row("boss@example.com")).toMatchObject({ emailVerified: true, role: "user" });
    expect(await grantCoins(squatter)).toEqual([403, 403]);
    // The link works once: a second use is refused and signs no one in.
    const again = await get(link);
    expect([again.statusCode, again.headers.location, again.headers["set-cookie"]]).toEqual([
      302,
      "/verify-email?error=VERIFICATION_LINK_USED",
      undefined,
    ]);

    // The owner resets the password through the mailed link: now, and only now, the account is admin.
    expect((await post("/api/auth/request-password-reset", { email: "boss@example.com", redirectTo: "/reset-password" })).statusCode).toBe(
      200,
    );
    const reset = await mailTo("boss@example.com", /Subject: Reset your OnAir password/);
    const token = new URL(String((await get(reset.link)).headers.location), "http://localhost:3000").searchParams.get("token");
    expect((await post("/api/auth/reset-password", { newPassword: "the-owners-own-password", token })).statusCode).toBe(200);
    expect(await row("boss@example.com")).toMatchObject({ role: "admin" });
    expect(await grantCoins(squatter)).toEqual([401, 401]);
    const owner = await post("/api/auth/sign-in/email", { email: "boss@example.com", password: "the-owners-own-password" });
    expect(await grantCoins(`Bearer ${String(owner.headers["set-auth-token"])}`)).toEqual([200, 200]);
  });

  it("a verified address that is not listed stays a user", async () => {
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

  it("a reset request answers in the same time whether the address has an account or not", async () => {
    const known = ["timing_a", "timing_b", "timing_c", "timing_d"];
    for (const name of known) {
      await post("/api/auth/sign-up/email", { email: `${name}@example.com`, password: TEST_PASSWORD, name, username: name });
      await mailTo(`${name}@example.com`, /Confirm your email/);
    }
    const timed = async (email: string, remoteAddress: string) => {
      const started = performance.now();
      const res = await app.inject({
        method: "POST",
        url: "/api/auth/request-password-reset",
        remoteAddress,
        headers: { "content-type": "application/json", origin: "http://localhost:3000" },
        payload: JSON.stringify({ email, redirectTo: "/reset-password" }),
      });
      expect(res.statusCode).toBe(200);
      return performance.now() - started;
    };
    const knownMs: number[] = [];
    const unknownMs: number[] = [];
    for (let round = 0; round < 2; round++) {
      for (const [i, name] of known.entries()) {
        knownMs.push(await timed(`${name}@example.com`, `10.30.${round}.${i}`));
        await mailTo(`${name}@example.com`, /Reset your OnAir password/); // out before the next request is timed
        unknownMs.push(await timed(`ghost_${round}_${i}@example.com`, `10.31.${round}.${i}`));
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
    // Before: the known address waited for its SMTP exchange, several times the unknown one's time.
    expect(Math.abs(median(knownMs) - median(unknownMs)), JSON.stringify({ knownMs, unknownMs })).toBeLessThan(25);
  });

  it("MAIL_RATE_LIMIT: 30 reset requests from 30 addresses send the address its 5 mails an hour; the rest answer as usual and send nothing", async () => {
    await post("/api/auth/sign-up/email", { email: "flood@example.com", password: TEST_PASSWORD, name: "flood", username: "flood" });
    await mailTo("flood@example.com", /Confirm your email/); // the first of the 5
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        app.inject({
          method: "POST",
          url: "/api/auth/request-password-reset",
          remoteAddress: `10.40.0.${i + 1}`,
          headers: { "content-type": "application/json", origin: "http://localhost:3000" },
          payload: JSON.stringify({ email: "flood@example.com", redirectTo: "/reset-password" }),
        }),
      ),
    );
    for (const res of answers)
      expect(res.json()).toEqual({ status: true, message: "If this email exists in our system, check your email for the reset link" });
    const notSent = () => logLines.filter((line) => line.includes("account mail to flood@example.com not sent")).length;
    await until(
      () => notSent() === 26,
      20_000,
      () => `${notSent()} not-sent lines`,
    );
    for (let i = 0; i < 4; i++) await mailTo("flood@example.com", /Reset your OnAir password/);
    expect(inbox.filter((mail) => mail.to === "flood@example.com")).toEqual([]);
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
