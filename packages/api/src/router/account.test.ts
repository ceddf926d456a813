import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, createTestKit, trpcError, type TestKit } from "../test/helpers";

let kit: TestKit;
beforeAll(async () => {
  kit = await createTestKit();
});
afterAll(async () => {
  await kit?.close();
});

describe("account.me", () => {
  it("refuses an anonymous caller with UNAUTHORIZED", async () => {
    const error = await trpcError(kit.anonymous.account.me());
    expect(error.code).toBe("UNAUTHORIZED");
  });

  it("refuses a bearer token that is not a session", async () => {
    const error = await trpcError(kit.caller(bearer("not-a-real-token")).account.me());
    expect(error.code).toBe("UNAUTHORIZED");
  });

  it("describes a new account: lowercase username, role user, no creator status", async () => {
    const { caller, user } = await kit.signUp({ username: "Carol_1", email: "carol@example.com" });
    const me = await caller.account.me();
    expect(me).toEqual({
      id: user.id,
      email: "carol@example.com",
      name: "Carol_1",
      username: "carol_1",
      role: "user",
      creatorStatus: "none",
    });
  });

  it("reports the admin role", async () => {
    const admin = await kit.makeAdmin();
    expect(await admin.caller.account.me()).toMatchObject({ id: admin.user.id, role: "admin" });
  });

  it("follows the creator application: pending, then approved", async () => {
    const dave = await kit.signUp({ username: "dave" });
    await dave.caller.creator.requestApproval();
    expect((await dave.caller.account.me()).creatorStatus).toBe("pending");
    const admin = await kit.makeAdmin();
    await admin.caller.admin.approveCreator({ username: "dave" });
    expect((await dave.caller.account.me()).creatorStatus).toBe("approved");
  });

  it("reports a rejected application", async () => {
    const erin = await kit.signUp({ username: "erin" });
    await erin.caller.creator.requestApproval();
    const admin = await kit.makeAdmin();
    await admin.caller.admin.rejectCreator({ username: "erin" });
    expect((await erin.caller.account.me()).creatorStatus).toBe("rejected");
  });

  it("stops answering once the session is signed out", async () => {
    const frank = await kit.signUp({ username: "frank" });
    expect((await frank.caller.account.me()).username).toBe("frank");
    await kit.auth.api.signOut({ headers: frank.headers });
    const error = await trpcError(kit.caller(frank.headers).account.me());
    expect(error.code).toBe("UNAUTHORIZED");
  });
});
