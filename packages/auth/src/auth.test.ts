import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { user, type DatabaseHandle } from "@onair/db";
import { createTestDatabase } from "@onair/db/testing";
import { accountChanges, createAuth, setRole, type AuthOptions } from "./index";

const PASSWORD = "correct-horse-battery";
let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});

function makeAuth(options: Partial<AuthOptions> = {}) {
  return createAuth({
    db: handle.db,
    secret: "onair-auth-test-secret-0123456789abcdefghij",
    baseURL: "http://localhost:3000",
    trustedOrigins: ["http://localhost:3000"],
    adminEmails: [],
    firstUserIsAdmin: false,
    ...options,
  });
}

type Auth = ReturnType<typeof makeAuth>;

/** Through Better Auth's HTTP handler, as a browser or service client would call it. */
async function signUp(auth: Auth, body: Record<string, unknown>) {
  const response = await auth.handler(
    new Request("http://localhost:3000/api/auth/sign-up/email", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Someone", password: PASSWORD, ...body }),
    }),
  );
  const text = await response.text();
  return { response, status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const stored = async (email: string) => (await handle.db.select().from(user).where(eq(user.email, email)))[0];

describe("sign-up and usernames", () => {
  let auth: Auth;
  beforeAll(() => {
    auth = makeAuth();
  });

  it("requires a username", async () => {
    for (const username of [undefined, ""]) {
      const result = await signUp(auth, { email: "nouser@example.com", username });
      expect(result.status).toBe(400);
      expect(result.body).toMatchObject({ code: "USERNAME_REQUIRED" });
    }
    expect(await stored("nouser@example.com")).toBeUndefined();
  });

  it("refuses usernames outside 3–30 [A-Za-z0-9_]", async () => {
    const bad = ["ab", "x".repeat(31), "has space", "dash-ed", "dot.ted", "emoji😀x"];
    for (const [i, username] of bad.entries()) {
      const email = `bad${i}@example.com`;
      const result = await signUp(auth, { email, username });
      expect(result.status, username).toBe(400);
      expect(await stored(email), username).toBeUndefined();
    }
  });

  it("accepts the bounds 3 and 30", async () => {
    expect((await signUp(auth, { email: "three@example.com", username: "abc" })).status).toBe(200);
    expect((await signUp(auth, { email: "thirty@example.com", username: "a".repeat(30) })).status).toBe(200);
  });

  it("stores the username lowercase and keeps the typed form for display", async () => {
    const result = await signUp(auth, { email: "mixed@example.com", username: "MixedCase_1" });
    expect(result.status).toBe(200);
    expect(await stored("mixed@example.com")).toMatchObject({ username: "mixedcase_1", displayUsername: "MixedCase_1" });
  });

  it("keeps usernames unique whatever the case", async () => {
    expect((await signUp(auth, { email: "alice@example.com", username: "alice" })).status).toBe(200);
    for (const [i, username] of ["ALICE", "Alice", "alice"].entries()) {
      const email = `alice${i}@example.org`;
      const result = await signUp(auth, { email, username });
      expect(result.status, username).toBe(400);
      expect(result.body.code, username).toBe("USERNAME_IS_ALREADY_TAKEN");
      expect(await stored(email), username).toBeUndefined();
    }
    expect(await handle.db.select().from(user).where(eq(user.username, "alice"))).toHaveLength(1);
  });

  it("refuses reserved words, whatever their case", async () => {
    for (const [i, username] of ["admin", "api", "dashboard", "login", "Admin", "LOGIN"].entries()) {
      const email = `reserved${i}@example.com`;
      const result = await signUp(auth, { email, username });
      expect(result.status, username).toBe(400);
      expect(String(result.body.message), username).toMatch(/reserved/);
      expect(await stored(email), username).toBeUndefined();
    }
  });

  it("applies the same rules when a username is changed", async () => {
    const result = await signUp(auth, { email: "changer@example.com", username: "changer" });
    const headers = new Headers({ authorization: `Bearer ${result.response.headers.get("set-auth-token")}` });
    for (const username of ["admin", "ALICE", "x y"]) {
      await expect(auth.api.updateUser({ headers, body: { username } }), username).rejects.toMatchObject({
        statusCode: 400,
      });
    }
    expect((await stored("changer@example.com"))?.username).toBe("changer");
  });

  it("refuses a displayUsername that is not the username apart from letter case (sign-up)", async () => {
    for (const [i, displayUsername] of ["bob", "eve2", "", "e v e", 42].entries()) {
      const email = `eve${i}@example.com`;
      const result = await signUp(auth, { email, username: `eve_${i}`, displayUsername });
      expect(result.status, String(displayUsername)).toBe(400);
      expect(result.body.code, String(displayUsername)).toBe("INVALID_DISPLAY_USERNAME");
      expect(await stored(email), String(displayUsername)).toBeUndefined();
    }
    expect((await signUp(auth, { email: "eve@example.com", username: "eve_x", displayUsername: "EVE_X" })).status).toBe(200);
    expect(await stored("eve@example.com")).toMatchObject({ username: "eve_x", displayUsername: "EVE_X" });
  });

  it("refuses such a displayUsername on update-user too, and a new username brings its own display form", async () => {
    const result = await signUp(auth, { email: "display@example.com", username: "display_me" });
    const headers = new Headers({ authorization: `Bearer ${result.response.headers.get("set-auth-token")}` });
    for (const body of [
      { displayUsername: "bob" },
      { displayUsername: "Display_Me", username: "other_name" },
      { username: "renamed", displayUsername: "display_me" },
    ]) {
      await expect(auth.api.updateUser({ headers, body }), JSON.stringify(body)).rejects.toMatchObject({ statusCode: 400 });
    }
    expect(await stored("display@example.com")).toMatchObject({ username: "display_me", displayUsername: "display_me" });
    await auth.api.updateUser({ headers, body: { displayUsername: "DISPLAY_me" } });
    expect((await stored("display@example.com"))?.displayUsername).toBe("DISPLAY_me");
    await auth.api.updateUser({ headers, body: { username: "Renamed_One" } });
    expect(await stored("display@example.com")).toMatchObject({ username: "renamed_one", displayUsername: "Renamed_One" });
  });

  it("does not let a sign-up choose its role", async () => {
    const result = await signUp(auth, { email: "sneaky@example.com", username: "sneaky", role: "admin" });
    const row = await stored("sneaky@example.com");
    // Better Auth may refuse the field or ignore it; either way no admin comes out of it.
    if (result.status === 200) expect(row?.role).toBe("user");
    else expect([result.status, row]).toEqual([400, undefined]);
  });
});

describe("roles", () => {
  beforeEach(async () => {
    await handle.db.delete(user);
  });

  it("makes the first account admin when firstUserIsAdmin, and later ones users", async () => {
    const auth = makeAuth({ firstUserIsAdmin: true });
    await signUp(auth, { email: "first@example.com", username: "first" });
    await signUp(auth, { email: "second@example.com", username: "second" });
    expect((await stored("first@example.com"))?.role).toBe("admin");
    expect((await stored("second@example.com"))?.role).toBe("user");
  });

  it("makes no one admin by being first when firstUserIsAdmin is off", async () => {
    const auth = makeAuth({ firstUserIsAdmin: false });
    await signUp(auth, { email: "first@example.com", username: "first" });
    expect((await stored("first@example.com"))?.role).toBe("user");
  });

  it("makes ADMIN_EMAILS admins (any case), whenever they sign up, and no one else", async () => {
    const auth = makeAuth({ adminEmails: ["Boss@Example.com", "ops@example.com"] });
    await signUp(auth, { email: "early@example.com", username: "early" });
    await signUp(auth, { email: "boss@example.com", username: "boss" });
    await signUp(auth, { email: "OPS@example.com", username: "ops" });
    await signUp(auth, { email: "late@example.com", username: "late" });
    expect((await stored("early@example.com"))?.role).toBe("user");
    expect((await stored("boss@example.com"))?.role).toBe("admin");
    expect((await handle.db.select().from(user).where(eq(user.username, "ops")))[0]?.role).toBe("admin");
    expect((await stored("late@example.com"))?.role).toBe("user");
  });
});

describe("roles that sign-up cannot take over", () => {
  beforeEach(async () => {
    await handle.db.delete(user);
  });

  it("outside production, many concurrent first sign-ups make exactly one admin", async () => {
    const auth = makeAuth({ firstUserIsAdmin: true });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => signUp(auth, { email: `racer${i}@example.com`, username: `racer_${i}` })),
    );
    expect(results.map((result) => result.status)).toEqual(Array(12).fill(200));
    const rows = await handle.db.select({ role: user.role }).from(user);
    expect(rows).toHaveLength(12);
    expect(rows.filter((row) => row.role === "admin")).toHaveLength(1);
    // Later sign-ups stay users.
    await signUp(auth, { email: "later@example.com", username: "later" });
    expect((await stored("later@example.com"))?.role).toBe("user");
  });
  // ADMIN_EMAILS in production, and revoke holding: admin-emails.test.ts.
});

describe("setRole (npm run admin)", () => {
  beforeEach(async () => {
    await handle.db.delete(user);
  });

  it("grants and revokes by email or username, any case, and announces the change", async () => {
    const auth = makeAuth();
    await signUp(auth, { email: "ops@example.com", username: "OpsPerson" });
    const changed: string[] = [];
    const listener = (id: string) => changed.push(id);
    accountChanges.on("change", listener);
    try {
      expect(await setRole(handle.db, "OPS@example.com", "admin")).toMatchObject({ username: "opsperson", role: "admin", changed: true });
      expect((await stored("ops@example.com"))?.role).toBe("admin");
      expect(await setRole(handle.db, "@opsperson", "admin")).toMatchObject({ changed: false });
      expect(await setRole(handle.db, "OpsPerson", "user")).toMatchObject({ email: "ops@example.com", role: "user", changed: true });
      expect((await stored("ops@example.com"))?.role).toBe("user");
    } finally {
      accountChanges.off("change", listener);
    }
    expect(changed).toHaveLength(2);
  });

  it("answers null for an account that does not exist", async () => {
    expect(await setRole(handle.db, "nobody@example.com", "admin")).toBeNull();
    expect(await setRole(handle.db, "nobody", "admin")).toBeNull();
  });
});

describe("bearer tokens", () => {
  let auth: Auth;
  beforeAll(() => {
    auth = makeAuth();
  });

  it("sign-up returns set-auth-token, and that token opens the session", async () => {
    const { response, body } = await signUp(auth, { email: "token@example.com", username: "token_user" });
    const token = response.headers.get("set-auth-token");
    expect(token).toBeTruthy();
    expect(response.headers.get("access-control-expose-headers")).toContain("set-auth-token");
    const session = await auth.api.getSession({ headers: new Headers({ authorization: `Bearer ${token}` }) });
    expect(session?.user).toMatchObject({ id: (body.user as { id: string }).id, username: "token_user", role: "user" });
  });

  it("sign-in (email or username) returns a working token too", async () => {
    await signUp(auth, { email: "signin@example.com", username: "signin_user" });
    const byEmail = await auth.api.signInEmail({
      body: { email: "signin@example.com", password: PASSWORD },
      asResponse: true,
    });
    const byName = await auth.api.signInUsername({
      body: { username: "SIGNIN_USER", password: PASSWORD },
      asResponse: true,
    });
    for (const response of [byEmail, byName]) {
      expect(response.status).toBe(200);
      const token = response.headers.get("set-auth-token");
      const session = await auth.api.getSession({ headers: new Headers({ authorization: `Bearer ${token}` }) });
      expect(session?.user.email).toBe("signin@example.com");
    }
  });

  it("refuses a wrong password and gives no token", async () => {
    const response = await auth.api.signInEmail({
      body: { email: "signin@example.com", password: "wrong-password-123" },
      asResponse: true,
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("set-auth-token")).toBeNull();
  });

  it("finds no session for a forged or missing token", async () => {
    for (const authorization of ["Bearer forged-token", "Bearer ", "Basic abc"]) {
      expect(await auth.api.getSession({ headers: new Headers({ authorization }) }), authorization).toBeNull();
    }
    expect(await auth.api.getSession({ headers: new Headers() })).toBeNull();
  });

  it("a token signed with another secret is refused", async () => {
    const { response } = await signUp(auth, { email: "other@example.com", username: "other_secret" });
    const token = response.headers.get("set-auth-token");
    const other = makeAuth({ secret: "a-completely-different-secret-0123456789abcdef" });
    expect(await other.api.getSession({ headers: new Headers({ authorization: `Bearer ${token}` }) })).toBeNull();
  });
});

describe("trusted origins for cookie requests", () => {
  let auth: Auth;
  let cookie: string;
  beforeAll(async () => {
    auth = makeAuth({ trustedOrigins: ["http://localhost:3000", "https://admin.example"] });
    const { response } = await signUp(auth, { email: "origins@example.com", username: "origins_user" });
    cookie = response.headers.get("set-cookie")!.split(";")[0]!;
  });

  const signIn = (origin: string) =>
    auth.handler(
      new Request("http://localhost:3000/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json", cookie, origin },
        body: JSON.stringify({ email: "origins@example.com", password: PASSWORD }),
      }),
    );

  // Better Auth skips this check by itself when NODE_ENV is "test": the suite runs in exactly that mode.
  it("refuses a cookie request from an untrusted origin, even under NODE_ENV=test", async () => {
    expect(process.env.NODE_ENV).toBe("test");
    const response = await signIn("https://evil.example");
    expect(response.status).toBe(403);
    expect(response.headers.get("set-auth-token")).toBeNull();
  });

  it("accepts the base URL and the trusted origins", async () => {
    expect((await signIn("http://localhost:3000")).status).toBe(200);
    expect((await signIn("https://admin.example")).status).toBe(200);
  });
});
