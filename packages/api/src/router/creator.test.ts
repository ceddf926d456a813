import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { creatorApplication } from "@onair/db";
import { createTestKit, trpcError, type SignedUp, type TestKit } from "../test/helpers";

let kit: TestKit;
let admin: SignedUp;
beforeAll(async () => {
  kit = await createTestKit();
  admin = await kit.makeAdmin();
});
afterAll(async () => {
  await kit?.close();
});

async function applications(userId: string) {
  return kit.db.select().from(creatorApplication).where(eq(creatorApplication.userId, userId));
}

describe("creator.requestApproval", () => {
  it("refuses an anonymous caller with UNAUTHORIZED and stores nothing", async () => {
    const before = await kit.db.select().from(creatorApplication);
    const error = await trpcError(kit.anonymous.creator.requestApproval());
    expect(error.code).toBe("UNAUTHORIZED");
    expect(await kit.db.select().from(creatorApplication)).toEqual(before);
  });

  it("puts a signed-in account in the pending queue", async () => {
    const gina = await kit.signUp({ username: "gina" });
    expect(await gina.caller.creator.requestApproval()).toEqual({ status: "pending" });
    const rows = await applications(gina.user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "pending", reviewedById: null });
    const pending = await admin.caller.admin.pendingCreators();
    expect(pending.map((p) => p.username)).toContain("gina");
  });

  it("is harmless when asked twice: still pending, still one application", async () => {
    const hank = await kit.signUp({ username: "hank" });
    await hank.caller.creator.requestApproval();
    expect(await hank.caller.creator.requestApproval()).toEqual({ status: "pending" });
    expect(await applications(hank.user.id)).toHaveLength(1);
    const pending = await admin.caller.admin.pendingCreators();
    expect(pending.filter((p) => p.username === "hank")).toHaveLength(1);
  });

  it("never demotes an approved creator back to pending", async () => {
    const ivy = await kit.makeCreator("ivy");
    expect(await ivy.caller.creator.requestApproval()).toEqual({ status: "approved" });
    expect(await ivy.caller.creator.status()).toEqual({ status: "approved" });
    expect((await applications(ivy.user.id))[0]?.status).toBe("approved");
  });

  it("lets a rejected account apply again", async () => {
    const jack = await kit.signUp({ username: "jack" });
    await jack.caller.creator.requestApproval();
    await admin.caller.admin.rejectCreator({ username: "jack" });
    expect(await jack.caller.creator.status()).toEqual({ status: "rejected" });

    expect(await jack.caller.creator.requestApproval()).toEqual({ status: "pending" });
    expect(await jack.caller.creator.status()).toEqual({ status: "pending" });
    expect(await applications(jack.user.id)).toHaveLength(1);
    expect((await admin.caller.admin.pendingCreators()).map((p) => p.username)).toContain("jack");
  });
});

describe("creator.status", () => {
  it("refuses an anonymous caller with UNAUTHORIZED", async () => {
    expect((await trpcError(kit.anonymous.creator.status())).code).toBe("UNAUTHORIZED");
  });

  it("is none before applying", async () => {
    const kate = await kit.signUp({ username: "kate" });
    expect(await kate.caller.creator.status()).toEqual({ status: "none" });
  });

  it("moves pending → approved when an admin approves", async () => {
    const liam = await kit.signUp({ username: "liam" });
    await liam.caller.creator.requestApproval();
    expect(await liam.caller.creator.status()).toEqual({ status: "pending" });
    await admin.caller.admin.approveCreator({ username: "liam" });
    expect(await liam.caller.creator.status()).toEqual({ status: "approved" });
  });

  it("answers for the caller only", async () => {
    const mia = await kit.signUp({ username: "mia" });
    const noah = await kit.signUp({ username: "noah" });
    await mia.caller.creator.requestApproval();
    expect(await noah.caller.creator.status()).toEqual({ status: "none" });
  });
});
