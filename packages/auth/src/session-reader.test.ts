import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { session, type DatabaseHandle } from "@onair/db";
import { createTestDatabase } from "@onair/db/testing";
import { createAuth, readSession } from "./index";

/** The lean reader against `auth.api.getSession` itself: same answers, and Better Auth's side effects where it must act. */

let handle: DatabaseHandle;
let auth: ReturnType<typeof createAuth>;
/** The `set-auth-token` (a bearer token) and the session cookie, as sign-up hands them out. */
let bearer: string;
let cookie: string;

beforeAll(async () => {
  handle = await createTestDatabase();
  auth = createAuth({
    db: handle.db,
    secret: "onair-session-reader-secret-0123456789abcdef",
    baseURL: "http://localhost:3000",
    trustedOrigins: ["http://localhost:3000"],
    adminEmails: [],
    firstUserIsAdmin: false,
  });
  const response = await auth.handler(
    new Request("http://localhost:3000/api/auth/sign-up/email", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Reader", email: "reader@example.com", password: "correct-horse-battery", username: "reader" }),
    }),
  );
  bearer = response.headers.get("set-auth-token")!;
  cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  expect(bearer).toBeTruthy();
  expect(cookie).toContain("session_token=");
  const getSession = auth.api.getSession;
  auth.api.getSession = ((...args: Parameters<typeof getSession>) => {
    askedBetterAuth++;
    return getSession(...args);
  }) as typeof getSession;
});
afterAll(async () => {
  await handle?.close();
});

const headersOf = (init: Record<string, string>) => new Headers(init);
const rawToken = () => bearer.split(".")[0]!;

/** How many times the reader asked Better Auth (it must not, in the common case). */
let askedBetterAuth = 0;

async function same(init: Record<string, string>) {
  const asked = askedBetterAuth;
  const ours = await readSession(auth, handle.db, headersOf(init));
  const fellBack = askedBetterAuth > asked;
  const theirs = await auth.api.getSession({ headers: headersOf(init) });
  expect(ours).toEqual(theirs);
  return { session: ours, fellBack };
}

describe("readSession", () => {
  it("reads a plain bearer token and a signed session cookie itself, as Better Auth would", async () => {
    const plain = await same({ authorization: `Bearer ${rawToken()}` });
    expect(plain.session?.user).toMatchObject({ username: "reader", role: "user", email: "reader@example.com" });
    expect(plain.session?.session.expiresAt).toBeInstanceOf(Date);
    expect(plain.fellBack).toBe(false);
    for (const init of [{ cookie }, { cookie: `theme=dark; ${cookie}; other=1` }]) {
      expect(await same(init)).toEqual(plain);
    }
    // A signed bearer token is Better Auth's to check; the answer is the same.
    expect((await same({ authorization: `Bearer ${bearer}` })).session).toEqual(plain.session);
  });

  it("answers null for no credential, an unknown token and a forged cookie signature", async () => {
    expect((await same({})).session).toBeNull();
    expect(await same({ authorization: "Bearer nosuchtokenatall0000000000000000" })).toEqual({ session: null, fellBack: false });
    const forged = cookie.replace(/\.[^.;]+$/, `.${"A".repeat(43)}=`);
    expect(await same({ cookie: forged })).toEqual({ session: null, fellBack: true });
    expect((await same({ cookie: cookie.replace(rawToken(), "x".repeat(32)) })).session).toBeNull();
  });

  it("leaves a session due for refresh to Better Auth, which extends it", async () => {
    // Two days into a seven-day session: past the one-day update age.
    await handle.db
      .update(session)
      .set({ expiresAt: sql`now() + interval '5 days'` })
      .where(eq(session.token, rawToken()));
    const before = (await handle.db.select().from(session).where(eq(session.token, rawToken())))[0]!.expiresAt;
    const read = await readSession(auth, handle.db, headersOf({ authorization: `Bearer ${rawToken()}` }));
    const after = (await handle.db.select().from(session).where(eq(session.token, rawToken())))[0]!.expiresAt;
    expect(after.getTime()).toBeGreaterThan(before.getTime() + 24 * 3600 * 1000);
    expect(read?.session.expiresAt.getTime()).toBe(after.getTime());
  });

  it("leaves an expired session to Better Auth, which deletes it", async () => {
    await handle.db
      .update(session)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(session.token, rawToken()));
    expect(await readSession(auth, handle.db, headersOf({ authorization: `Bearer ${rawToken()}` }))).toBeNull();
    expect(await handle.db.select().from(session).where(eq(session.token, rawToken()))).toEqual([]);
  });
});
