import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stream } from "@onair/db";
import { clientShape, createTestKit, trpcError, type Caller, type SignedUp, type TestKit } from "../test/helpers";

let kit: TestKit;
let admin: SignedUp;
let user: SignedUp;
let pending: SignedUp;
let rejected: SignedUp;
let creator: SignedUp;

beforeAll(async () => {
  kit = await createTestKit();
  admin = await kit.makeAdmin("chief");
  user = await kit.signUp({ username: "viewer1" });
  pending = await kit.signUp({ username: "waiting" });
  await pending.caller.creator.requestApproval();
  rejected = await kit.signUp({ username: "turned_down" });
  await rejected.caller.creator.requestApproval();
  await admin.caller.admin.rejectCreator({ username: "turned_down" });
  creator = await kit.makeCreator("Alice");
});
afterAll(async () => {
  await kit?.close();
});

const streams = () => kit.db.select().from(stream).orderBy(stream.id);
const myRow = async () => (await kit.db.select().from(stream).where(eq(stream.userId, creator.user.id)))[0];

/** Every caller that is not an approved creator, with the code it must get. */
function refusals(): [string, Caller, "UNAUTHORIZED" | "FORBIDDEN"][] {
  return [
    ["anonymous", kit.anonymous, "UNAUTHORIZED"],
    ["signed-in non-creator", user.caller, "FORBIDDEN"],
    ["pending creator", pending.caller, "FORBIDDEN"],
    ["rejected creator", rejected.caller, "FORBIDDEN"],
    ["admin who is not a creator", admin.caller, "FORBIDDEN"],
  ];
}

describe("creator procedures refuse everyone but approved creators", () => {
  const calls: Record<string, (c: Caller) => Promise<unknown>> = {
    "stream.mine": (c) => c.stream.mine(),
    "stream.upsert": (c) => c.stream.upsert({ title: "Sneaky" }),
    "stream.updateChatSettings": (c) => c.stream.updateChatSettings({ slowModeSeconds: 60 }),
  };
  for (const [name, call] of Object.entries(calls)) {
    it(`${name}: refused with the right code, and nothing is stored`, async () => {
      const before = await streams();
      for (const [who, caller, code] of refusals()) {
        const error = await trpcError(call(caller));
        expect(error.code, who).toBe(code);
      }
      expect(await streams()).toEqual(before);
    });
  }
});

describe("stream.mine", () => {
  it("returns the channel approval opened", async () => {
    const mine = await creator.caller.stream.mine();
    expect(mine).toMatchObject({ username: "alice", title: "alice's stream", isLive: false, slowModeSeconds: 10 });
    expect(mine?.id).toBe((await myRow())?.id);
  });

  it("returns null for an approved creator whose channel row is gone", async () => {
    const bo = await kit.makeCreator("bob");
    await kit.db.delete(stream).where(eq(stream.userId, bo.user.id));
    expect(await bo.caller.stream.mine()).toBeNull();
  });
});

describe("stream.upsert", () => {
  it("sets title, description and thumbnail (trimmed) and returns the stream", async () => {
    const result = await creator.caller.stream.upsert({
      title: "  Morning coding  ",
      description: "TypeScript all day",
      thumbnail: "https://example.com/t.png",
    });
    expect(result).toMatchObject({
      username: "alice",
      title: "Morning coding",
      description: "TypeScript all day",
      thumbnail: "https://example.com/t.png",
    });
    expect(await myRow()).toMatchObject({ title: "Morning coding", thumbnail: "https://example.com/t.png" });
  });

  it("clears description and thumbnail when given empty values", async () => {
    const result = await creator.caller.stream.upsert({ title: "Evening", description: "", thumbnail: "" });
    expect(result).toMatchObject({ title: "Evening", description: null, thumbnail: null });
  });

  it("creates the channel again for a creator who has none, and keeps one row", async () => {
    const cy = await kit.makeCreator("cyd");
    await kit.db.delete(stream).where(eq(stream.userId, cy.user.id));
    await cy.caller.stream.upsert({ title: "Back" });
    await cy.caller.stream.upsert({ title: "Back again" });
    const rows = await kit.db.select().from(stream).where(eq(stream.userId, cy.user.id));
    expect(rows.map((r) => r.title)).toEqual(["Back again"]);
  });

  const bad: [string, Parameters<Caller["stream"]["upsert"]>[0], string][] = [
    ["empty title", { title: "" }, "title"],
    ["blank title", { title: "   " }, "title"],
    ["title over 140", { title: "x".repeat(141) }, "title"],
    ["description over 2000", { title: "ok", description: "d".repeat(2001) }, "description"],
    ["javascript: thumbnail", { title: "ok", thumbnail: "javascript:alert(1)" }, "thumbnail"],
    ["ftp thumbnail", { title: "ok", thumbnail: "ftp://example.com/a.png" }, "thumbnail"],
    ["http:// thumbnail (the form asks for https://)", { title: "ok", thumbnail: "http://example.com/a.png" }, "thumbnail"],
    ["not a URL", { title: "ok", thumbnail: "nope" }, "thumbnail"],
  ];
  for (const [label, input, field] of bad) {
    it(`BAD_REQUEST naming ${field} for ${label}, database unchanged`, async () => {
      const before = await streams();
      const error = await trpcError(creator.caller.stream.upsert(input));
      expect(error.code).toBe("BAD_REQUEST");
      const shape = clientShape(error);
      expect(shape.message).toMatch(new RegExp(`^${field}: `));
      expect(shape.data.fieldErrors).toHaveProperty(field);
      expect(await streams()).toEqual(before);
    });
  }

  it("BAD_REQUEST naming title when it is missing", async () => {
    const error = await trpcError(creator.caller.stream.upsert({} as { title: string }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(clientShape(error).message).toContain("title");
  });
});

describe("stream.updateChatSettings", () => {
  it("changes only the settings named", async () => {
    const before = await myRow();
    const result = await creator.caller.stream.updateChatSettings({ isChatDelayed: true, slowModeSeconds: 30 });
    expect(result).toMatchObject({
      isChatDelayed: true,
      slowModeSeconds: 30,
      isChatEnabled: before?.isChatEnabled,
      isChatFollowersOnly: before?.isChatFollowersOnly,
      title: before?.title,
    });
    const next = await creator.caller.stream.updateChatSettings({ isChatEnabled: false, isChatFollowersOnly: true });
    expect(next).toMatchObject({ isChatEnabled: false, isChatFollowersOnly: true, isChatDelayed: true, slowModeSeconds: 30 });
    expect(await myRow()).toMatchObject({ isChatEnabled: false, isChatFollowersOnly: true, slowModeSeconds: 30 });
  });

  it("accepts the slow-mode bounds 2 and 300", async () => {
    expect((await creator.caller.stream.updateChatSettings({ slowModeSeconds: 2 })).slowModeSeconds).toBe(2);
    expect((await creator.caller.stream.updateChatSettings({ slowModeSeconds: 300 })).slowModeSeconds).toBe(300);
  });

  it("answers NOT_FOUND for a creator whose channel row is gone, and creates nothing", async () => {
    const dina = await kit.makeCreator("dina");
    await kit.db.delete(stream).where(eq(stream.userId, dina.user.id));
    const error = await trpcError(dina.caller.stream.updateChatSettings({ isChatEnabled: false }));
    expect(error.code).toBe("NOT_FOUND");
    expect(await kit.db.select().from(stream).where(eq(stream.userId, dina.user.id))).toEqual([]);
  });

  for (const slowModeSeconds of [1, 301, 2.5, -10]) {
    it(`BAD_REQUEST naming slowModeSeconds for ${slowModeSeconds}, database unchanged`, async () => {
      const before = await streams();
      const error = await trpcError(creator.caller.stream.updateChatSettings({ slowModeSeconds }));
      expect(error.code).toBe("BAD_REQUEST");
      expect(clientShape(error).message).toMatch(/^slowModeSeconds: /);
      expect(await streams()).toEqual(before);
    });
  }

  it("BAD_REQUEST naming isChatEnabled when it is not a boolean", async () => {
    const error = await trpcError(creator.caller.stream.updateChatSettings({ isChatEnabled: "yes" as unknown as boolean }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(clientShape(error).message).toMatch(/^isChatEnabled: /);
  });

  it("BAD_REQUEST when no setting is named", async () => {
    const before = await streams();
    const error = await trpcError(creator.caller.stream.updateChatSettings({}));
    expect(error.code).toBe("BAD_REQUEST");
    expect(clientShape(error).message).toMatch(/setting/);
    expect(await streams()).toEqual(before);
  });
});

describe("stream.byUsername", () => {
  it("shows a channel to anyone, with the public fields", async () => {
    await creator.caller.stream.upsert({ title: "Public view", description: "hello" });
    const view = await kit.anonymous.stream.byUsername({ username: "alice" });
    expect(view).toMatchObject({
      username: "alice",
      title: "Public view",
      description: "hello",
      thumbnail: null,
      isLive: false,
      liveSince: null,
      isPublishing: false,
      viewerCount: 0,
      followerCount: 0,
    });
    for (const key of ["isChatEnabled", "isChatDelayed", "isChatFollowersOnly", "slowModeSeconds"]) {
      expect(view).toHaveProperty(key);
    }
    expect(view).not.toHaveProperty("userId");
    expect(JSON.stringify(view)).not.toContain(creator.user.email);
  });

  it("matches the username whatever its case (and trims it)", async () => {
    for (const username of ["ALICE", "Alice", " alice "]) {
      expect((await user.caller.stream.byUsername({ username })).username).toBe("alice");
    }
  });

  it("answers NOT_FOUND for an unknown username", async () => {
    const error = await trpcError(kit.anonymous.stream.byUsername({ username: "nobody" }));
    expect(error.code).toBe("NOT_FOUND");
  });

  it("answers NOT_FOUND for an account that is not a creator", async () => {
    for (const username of ["viewer1", "waiting", "turned_down"]) {
      expect((await trpcError(kit.anonymous.stream.byUsername({ username }))).code, username).toBe("NOT_FOUND");
    }
  });

  it("answers BAD_REQUEST naming username for a malformed one", async () => {
    for (const username of ["", "has space", "x".repeat(31), "../etc"]) {
      const error = await trpcError(kit.anonymous.stream.byUsername({ username }));
      expect(error.code).toBe("BAD_REQUEST");
      expect(clientShape(error).message).toMatch(/^username: /);
    }
  });
});
