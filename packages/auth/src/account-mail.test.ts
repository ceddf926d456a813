import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle } from "@onair/db";
import { createTestDatabase, type TestDatabaseHandle } from "@onair/db/testing";
import { CLIENT_IP_HEADER } from "./index";
import { testAuth } from "./test-auth";

/** Account mail (issue 21 N5): limited per address and per client IP, across instances; verification links work once. */

let handle: TestDatabaseHandle;
let other: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
  other = handle.openAnother({ max: 2 }); // a second instance's connection (PGlite: the same database)
});
afterAll(async () => {
  await other?.close();
  await handle?.close();
});

let ips = 0;
const freshIp = () => ({ [CLIENT_IP_HEADER]: `10.20.${Math.floor(++ips / 250)}.${ips % 250}` });
const resetRequest = (email: string) => ({ email, redirectTo: "/reset-password" });

describe("MAIL_RATE_LIMIT: account mails per address per hour", () => {
  it("30 reset requests and 30 verification requests for one address send 5 mails in all; every request answers as usual", async () => {
    const kit = testAuth(handle.db, { mailsPerAddressPerHour: 5 });
    await kit.signUp("target@example.com", "target"); // the sign-up mail is the first of the 5
    const resets = await Promise.all(
      Array.from({ length: 30 }, () => kit.call("POST", "/api/auth/request-password-reset", resetRequest("target@example.com"), freshIp())),
    );
    const unknown = await kit.call("POST", "/api/auth/request-password-reset", resetRequest("nobody@example.com"), freshIp());
    for (const answer of resets) expect([answer.status, answer.body]).toEqual([unknown.status, unknown.body]);
    const verifications = await Promise.all(
      Array.from({ length: 30 }, () => kit.call("POST", "/api/auth/send-verification-email", { email: "target@example.com" }, freshIp())),
    );
    for (const answer of verifications) expect(answer.status).toBe(200);
    expect(await kit.mailsTo("target@example.com")).toHaveLength(5);

    // Verification mail alone is bounded the same way.
    await testAuth(handle.db, { mailsPerAddressPerHour: 50 }).signUp("fresh@example.com", "fresh_one");
    const again = testAuth(handle.db, { mailsPerAddressPerHour: 5 });
    await Promise.all(
      Array.from({ length: 30 }, () => again.call("POST", "/api/auth/send-verification-email", { email: "fresh@example.com" }, freshIp())),
    );
    expect(await again.mailsTo("fresh@example.com", /Confirm/)).toHaveLength(4); // 5 minus the sign-up mail
  });

  it("holds across instances: two servers on their own connections share the count", async () => {
    const first = testAuth(handle.db, { mailsPerAddressPerHour: 3 });
    const second = testAuth(other.db, { mailsPerAddressPerHour: 3 });
    await testAuth(handle.db, { sendMail: undefined }).signUp("shared@example.com", "shared_one");
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? first : second).call("POST", "/api/auth/request-password-reset", resetRequest("shared@example.com"), freshIp()),
      ),
    );
    const sent = (await first.mailsTo("shared@example.com")).length + (await second.mailsTo("shared@example.com")).length;
    expect(sent).toBe(3);
  });
});

describe("mail requests per client IP", () => {
  it("a client IP may ask 4 × MAIL_RATE_LIMIT times an hour, whatever the addresses; then 429 with Retry-After", async () => {
    const kit = testAuth(handle.db, { mailsPerAddressPerHour: 2 });
    const ip = freshIp();
    const asks = (n: number, headers: Record<string, string>) =>
      Promise.all(
        Array.from({ length: n }, (_, i) =>
          kit.call("POST", "/api/auth/request-password-reset", resetRequest(`someone${ips}-${i}@example.com`), headers),
        ),
      );
    expect((await asks(8, ip)).map((answer) => answer.status)).toEqual(Array(8).fill(200));
    const refused = await kit.call("POST", "/api/auth/send-verification-email", { email: "x@example.com" }, ip);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: "TOO_MANY_MAIL_REQUESTS" });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(3500);
    expect((await asks(1, freshIp()))[0]!.status).toBe(200); // another client is not held back
  });
});

describe("verification links", () => {
  /** The confirmation link mailed to `email`, as a path on the server. */
  async function confirmLink(kit: ReturnType<typeof testAuth>, email: string, username: string) {
    await kit.signUp(email, username);
    const [mail] = await kit.mailsTo(email, /Confirm/);
    const url = new URL(mail!.url);
    url.searchParams.set("callbackURL", "/verify-email");
    return { withCallback: `${url.pathname}${url.search}`, bare: `${url.pathname}?token=${url.searchParams.get("token")}` };
  }
  const signsIn = (answer: { headers: Headers }) => answer.headers.getSetCookie().some((cookie) => cookie.includes("session_token="));

  it("work once: the first use verifies and signs in; a second is refused with a clear message and signs no one in", async () => {
    const kit = testAuth(handle.db);
    const link = await confirmLink(kit, "once@example.com", "once_only");
    const first = await kit.call("GET", link.withCallback);
    expect([first.status, first.headers.get("location"), signsIn(first)]).toEqual([302, "/verify-email", true]);

    const second = await kit.call("GET", link.withCallback);
    expect(second.status).toBe(302);
    expect(second.headers.get("location")).toBe("/verify-email?error=VERIFICATION_LINK_USED");
    expect(signsIn(second)).toBe(false);
    const bare = await kit.call("GET", link.bare);
    expect(bare.status).toBe(400);
    expect(bare.body.code).toBe("VERIFICATION_LINK_USED");
    expect(bare.body.message).toMatch(/already used/);
    expect(signsIn(bare)).toBe(false);
  });

  it("two uses at once: exactly one signs in", async () => {
    const kit = testAuth(handle.db);
    const link = await confirmLink(kit, "twice@example.com", "twice_at_once");
    const answers = await Promise.all([kit.call("GET", link.bare), kit.call("GET", link.bare), kit.call("GET", link.bare)]);
    expect(answers.filter(signsIn)).toHaveLength(1);
  });

  it("a refused link never redirects off the site", async () => {
    const kit = testAuth(handle.db);
    const link = await confirmLink(kit, "offsite@example.com", "offsite_one");
    await kit.call("GET", link.bare);
    for (const callbackURL of ["https://evil.example/", "//evil.example/", "/\\evil.example"]) {
      const answer = await kit.call("GET", `${link.bare}&callbackURL=${encodeURIComponent(callbackURL)}`);
      expect([answer.status, answer.headers.get("location")], callbackURL).toEqual([400, null]);
    }
  });
});
