import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { user, type DatabaseHandle } from "@onair/db";
import { createTestDatabase } from "@onair/db/testing";
import { accountChanges, setRole } from "./index";
import { testAuth } from "./test-auth";

/** ADMIN_EMAILS (issue 21 N1, N2): which transition makes a listed address admin, and `revoke` holding. */

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});
beforeEach(async () => {
  await handle.db.delete(user);
});

const session = async (kit: ReturnType<typeof testAuth>, bearer: string) =>
  kit.auth.api.getSession({ headers: new Headers({ authorization: bearer }) });

describe("in production, a listed address becomes admin only by a completed password reset mailed to it", () => {
  it("sign-up and email verification make no admin; the reset does, and ends every session opened before it", async () => {
    const kit = testAuth(handle.db, { adminEmails: ["Boss@Example.com"], adminEmailsNeedReset: true });
    // Someone else registers the address first, and keeps the token.
    const squatter = await kit.signUp("boss@example.com", "boss");
    expect(squatter.status).toBe(200);
    expect(await kit.roleOf("boss@example.com")).toBe("user");
    // The owner follows the confirmation link: verified, still no admin.
    const followed = await kit.followLink("boss@example.com", /Confirm/);
    expect(followed.status).toBe(302);
    expect((await handle.db.select().from(user).where(eq(user.email, "boss@example.com")))[0]).toMatchObject({
      emailVerified: true,
      role: "user",
    });
    expect((await session(kit, squatter.bearer))?.user.role).toBe("user");

    const changed: string[] = [];
    const listener = (id: string) => changed.push(id);
    accountChanges.on("change", listener);
    try {
      expect((await kit.resetPassword("boss@example.com", "the-owners-new-password")).status).toBe(200);
    } finally {
      accountChanges.off("change", listener);
    }
    expect(await kit.roleOf("boss@example.com")).toBe("admin");
    expect(await session(kit, squatter.bearer)).toBeNull(); // the squatter's session ended with the reset
    expect(changed.length).toBeGreaterThan(0); // session caches on every instance drop the account
    const signIn = await kit.call("POST", "/api/auth/sign-in/email", { email: "boss@example.com", password: "the-owners-new-password" });
    expect(signIn.status).toBe(200);
    expect((await session(kit, `Bearer ${signIn.headers.get("set-auth-token")}`))?.user.role).toBe("admin");
  });

  it("a reset of an address that is not listed makes no admin", async () => {
    const kit = testAuth(handle.db, { adminEmails: ["boss@example.com"], adminEmailsNeedReset: true });
    await kit.signUp("someone@example.com", "someone");
    expect((await kit.resetPassword("someone@example.com", "another-password-1")).status).toBe(200);
    expect(await kit.roleOf("someone@example.com")).toBe("user");
  });

  it("after revoke, a reset does not make the listed account admin again; grant does", async () => {
    const kit = testAuth(handle.db, { adminEmails: ["boss@example.com"], adminEmailsNeedReset: true });
    await kit.signUp("boss@example.com", "boss");
    await kit.resetPassword("boss@example.com", "first-new-password");
    expect(await kit.roleOf("boss@example.com")).toBe("admin");
    expect(await setRole(handle.db, "boss", "user")).toMatchObject({ changed: true });
    await kit.resetPassword("boss@example.com", "second-new-password");
    expect(await kit.roleOf("boss@example.com")).toBe("user");
    await setRole(handle.db, "boss", "admin");
    expect(await kit.roleOf("boss@example.com")).toBe("admin");
  });
});

describe("outside production", () => {
  it("a listed address is admin from sign-up; revoke holds through profile changes and resets, until grant", async () => {
    const kit = testAuth(handle.db, { adminEmails: ["ops@example.com"] });
    const ops = await kit.signUp("ops@example.com", "ops_person");
    expect(await kit.roleOf("ops@example.com")).toBe("admin");
    await kit.followLink("ops@example.com", /Confirm/); // verified, as a real account would be
    await setRole(handle.db, "ops@example.com", "user");
    // Any user update used to run the ADMIN_EMAILS promotion again.
    const renamed = await kit.call("POST", "/api/auth/update-user", { name: "Ops, renamed" }, { authorization: ops.bearer });
    expect(renamed.status).toBe(200);
    expect(await kit.roleOf("ops@example.com")).toBe("user");
    expect((await session(kit, ops.bearer))?.user.role).toBe("user");
    await kit.resetPassword("ops@example.com", "a-new-password-9");
    expect(await kit.roleOf("ops@example.com")).toBe("user");
    await setRole(handle.db, "ops_person", "admin");
    expect(await kit.roleOf("ops@example.com")).toBe("admin");
  });

  it("a listed address added after sign-up becomes admin by a password reset (or grant), not by a profile change", async () => {
    const before = testAuth(handle.db);
    await before.signUp("late@example.com", "late_one");
    await before.followLink("late@example.com", /Confirm/);
    const kit = testAuth(handle.db, { adminEmails: ["late@example.com"] });
    const signIn = await kit.call("POST", "/api/auth/sign-in/email", { email: "late@example.com", password: "correct-horse-battery" });
    await kit.call("POST", "/api/auth/update-user", { name: "Late" }, { authorization: `Bearer ${signIn.headers.get("set-auth-token")}` });
    expect(await kit.roleOf("late@example.com")).toBe("user");
    await kit.resetPassword("late@example.com", "a-new-password-8");
    expect(await kit.roleOf("late@example.com")).toBe("admin");
  });
});
