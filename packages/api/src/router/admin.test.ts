import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { creatorApplication, stream } from "@onair/db";
import { clientShape, createTestKit, trpcError, type SignedUp, type TestKit } from "../test/helpers";

let kit: TestKit;
let admin: SignedUp;
let plain: SignedUp;
let creator: SignedUp;
beforeAll(async () => {
  kit = await createTestKit();
  admin = await kit.makeAdmin("boss");
  plain = await kit.signUp({ username: "plain" });
  creator = await kit.makeCreator("maker");
});
afterAll(async () => {
  await kit?.close();
});

const snapshot = async () => ({
  applications: await kit.db.select().from(creatorApplication).orderBy(creatorApplication.id),
  streams: await kit.db.select().from(stream).orderBy(stream.id),
});

async function application(userId: string) {
  const [row] = await kit.db.select().from(creatorApplication).where(eq(creatorApplication.userId, userId));
  return row;
}

describe("admin procedures refuse everyone but admins", () => {
  const calls = {
    approveCreator: (c: SignedUp["caller"]) => c.admin.approveCreator({ username: "plain" }),
    rejectCreator: (c: SignedUp["caller"]) => c.admin.rejectCreator({ username: "plain" }),
    pendingCreators: (c: SignedUp["caller"]) => c.admin.pendingCreators(),
  };

  for (const [name, call] of Object.entries(calls)) {
    it(`${name}: anonymous → UNAUTHORIZED, user and approved creator → FORBIDDEN, nothing changes`, async () => {
      await plain.caller.creator.requestApproval();
      const before = await snapshot();
      expect((await trpcError(call(kit.anonymous))).code).toBe("UNAUTHORIZED");
      expect((await trpcError(call(plain.caller))).code).toBe("FORBIDDEN");
      expect((await trpcError(call(creator.caller))).code).toBe("FORBIDDEN");
      expect(await snapshot()).toEqual(before);
    });
  }
});

describe("admin.approveCreator", () => {
  it("approves a pending application, records the reviewer and opens the channel", async () => {
    const olga = await kit.signUp({ username: "olga" });
    await olga.caller.creator.requestApproval();
    await expect(kit.anonymous.stream.byUsername({ username: "olga" })).rejects.toMatchObject({ code: "NOT_FOUND" });

    expect(await admin.caller.admin.approveCreator({ username: "olga" })).toEqual({ status: "approved" });
    expect(await application(olga.user.id)).toMatchObject({ status: "approved", reviewedById: admin.user.id });
    expect((await application(olga.user.id))?.reviewedAt).toBeInstanceOf(Date);
    const channel = await kit.anonymous.stream.byUsername({ username: "olga" });
    expect(channel).toMatchObject({ username: "olga", title: "olga's stream", isLive: false });
    expect((await admin.caller.admin.pendingCreators()).map((p) => p.username)).not.toContain("olga");
  });

  it("makes an account a creator directly, without an application", async () => {
    const pete = await kit.signUp({ username: "pete" });
    await admin.caller.admin.approveCreator({ username: "pete" });
    expect(await pete.caller.creator.status()).toEqual({ status: "approved" });
    expect(await pete.caller.stream.mine()).toMatchObject({ username: "pete" });
  });

  it("matches the username whatever its case", async () => {
    const quin = await kit.signUp({ username: "quin" });
    await admin.caller.admin.approveCreator({ username: "QUIN" });
    expect(await quin.caller.creator.status()).toEqual({ status: "approved" });
  });

  it("approving again keeps the one channel and its title", async () => {
    const rosa = await kit.makeCreator("rosa");
    await rosa.caller.stream.upsert({ title: "Rosa plays chess" });
    await admin.caller.admin.approveCreator({ username: "rosa" });
    const rows = await kit.db.select().from(stream).where(eq(stream.userId, rosa.user.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.title).toBe("Rosa plays chess");
  });

  it("answers NOT_FOUND for an unknown username and changes nothing", async () => {
    const before = await snapshot();
    const error = await trpcError(admin.caller.admin.approveCreator({ username: "nobody_here" }));
    expect(error.code).toBe("NOT_FOUND");
    expect(await snapshot()).toEqual(before);
  });

  it("answers BAD_REQUEST naming the username for a malformed one", async () => {
    const before = await snapshot();
    const error = await trpcError(admin.caller.admin.approveCreator({ username: "no spaces!" }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(clientShape(error).message).toMatch(/^username: /);
    expect(await snapshot()).toEqual(before);
  });
});

describe("admin.rejectCreator", () => {
  it("rejects a pending application and takes it off the queue", async () => {
    const sam = await kit.signUp({ username: "sam" });
    await sam.caller.creator.requestApproval();
    expect(await admin.caller.admin.rejectCreator({ username: "Sam" })).toEqual({ status: "rejected", ended: false, ingress: "none" });
    expect(await application(sam.user.id)).toMatchObject({ status: "rejected", reviewedById: admin.user.id });
    expect((await admin.caller.admin.pendingCreators()).map((p) => p.username)).not.toContain("sam");
    expect((await trpcError(sam.caller.stream.mine())).code).toBe("FORBIDDEN");
  });

  it("answers NOT_FOUND for an account that never applied, storing nothing", async () => {
    const tess = await kit.signUp({ username: "tess" });
    const error = await trpcError(admin.caller.admin.rejectCreator({ username: "tess" }));
    expect(error.code).toBe("NOT_FOUND");
    expect(await application(tess.user.id)).toBeUndefined();
  });

  it("answers NOT_FOUND for an unknown username", async () => {
    expect((await trpcError(admin.caller.admin.rejectCreator({ username: "ghost_user" }))).code).toBe("NOT_FOUND");
  });

  it("answers BAD_REQUEST naming the username for a malformed one", async () => {
    const error = await trpcError(admin.caller.admin.rejectCreator({ username: "" }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(clientShape(error).message).toMatch(/^username: /);
  });
});

describe("admin.pendingCreators", () => {
  it("lists pending applications oldest first, with who asked", async () => {
    const fresh = await kit.makeAdmin("reviewer");
    const before = (await fresh.caller.admin.pendingCreators()).map((p) => p.username);
    const uma = await kit.signUp({ username: "uma", email: "uma@example.com" });
    const vic = await kit.signUp({ username: "vic" });
    await uma.caller.creator.requestApproval();
    await vic.caller.creator.requestApproval();

    const list = await fresh.caller.admin.pendingCreators();
    const added = list.filter((p) => !before.includes(p.username));
    expect(added.map((p) => p.username)).toEqual(["uma", "vic"]);
    expect(added[0]).toMatchObject({ username: "uma", name: "uma", email: "uma@example.com" });
    expect(added[0]?.requestedAt).toBeInstanceOf(Date);
    const times = list.map((p) => p.requestedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("leaves out approved and rejected accounts", async () => {
    const list = (await admin.caller.admin.pendingCreators()).map((p) => p.username);
    expect(list).not.toContain("maker");
    expect(list).not.toContain("sam");
  });

  it("honours limit", async () => {
    const all = await admin.caller.admin.pendingCreators();
    expect(all.length).toBeGreaterThanOrEqual(2);
    const one = await admin.caller.admin.pendingCreators({ limit: 1 });
    expect(one).toEqual(all.slice(0, 1));
  });

  it("answers BAD_REQUEST naming limit when it is out of range", async () => {
    for (const limit of [0, 201, 1.5]) {
      const error = await trpcError(admin.caller.admin.pendingCreators({ limit }));
      expect(error.code).toBe("BAD_REQUEST");
      expect(clientShape(error).message).toMatch(/^limit: /);
    }
  });
});
