import { randomUUID } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { broadcast, stream } from "@onair/db";
import { clientShape, createTestKit, trpcError, type SignedUp, type TestKit } from "../test/helpers";

let kit: TestKit;
const creators: Record<string, SignedUp> = {};

// name → title; the directory search looks at both.
const channels: Record<string, string> = {
  ana: "Speedrun practice",
  ben: "Cooking pasta",
  cat: "100% fun",
  dan: "Late night jazz",
  eve: "Retro SPEEDRUN marathon",
  fay: "Offline for now",
};

/** Live with media flowing (an open broadcast that publishes), or offline (the broadcast ended). */
async function setLive(name: string, minutesAgo: number | null) {
  const [own] = await kit.db
    .update(stream)
    .set(minutesAgo === null ? { isLive: false, liveSince: null } : { isLive: true, liveSince: new Date(Date.now() - minutesAgo * 60_000) })
    .where(eq(stream.userId, creators[name]!.user.id))
    .returning({ id: stream.id });
  if (minutesAgo === null) {
    await kit.db
      .update(broadcast)
      .set({ endedAt: new Date() })
      .where(and(eq(broadcast.streamId, own!.id), isNull(broadcast.endedAt)));
  } else {
    await kit.db.insert(broadcast).values({ streamId: own!.id, roomName: `broadcast-${randomUUID()}`, publishingAt: new Date() });
  }
}

beforeAll(async () => {
  kit = await createTestKit();
  for (const [name, title] of Object.entries(channels)) {
    creators[name] = await kit.makeCreator(name);
    await creators[name].caller.stream.upsert({ title });
  }
});
afterAll(async () => {
  await kit?.close();
});

describe("stream.live", () => {
  it("is empty while channels exist but none is live", async () => {
    expect(await kit.anonymous.stream.live()).toEqual({ items: [], nextCursor: null });
    expect(await kit.anonymous.stream.live({ query: "speedrun" })).toEqual({ items: [], nextCursor: null });
  });

  describe("with live channels", () => {
    beforeAll(async () => {
      // started: eve 1 min ago, cat 5, ana 10, dan 30, ben 60; fay stays offline
      await setLive("eve", 1);
      await setLive("cat", 5);
      await setLive("ana", 10);
      await setLive("dan", 30);
      await setLive("ben", 60);
    });

    it("lists only live channels, most viewers first, then most recently started", async () => {
      const { items, nextCursor } = await kit.anonymous.stream.live();
      expect(items.map((s) => s.username)).toEqual(["eve", "cat", "ana", "dan", "ben"]);
      expect(nextCursor).toBeNull();
      const viewers = items.map((s) => s.viewerCount);
      expect(viewers).toEqual([...viewers].sort((a, b) => b - a));
      for (const item of items) {
        expect(item.isLive).toBe(true);
        expect(item.liveSince).toBeInstanceOf(Date);
        expect(item.title).toBe(channels[item.username]);
      }
    });

    it("answers signed-in callers the same", async () => {
      const signedIn = await creators.ana!.caller.stream.live();
      const anonymous = await kit.anonymous.stream.live();
      expect(signedIn.items.map((s) => s.username)).toEqual(anonymous.items.map((s) => s.username));
    });

    it("pages through every live channel with the cursor, none twice", async () => {
      const seen: string[] = [];
      const pages: number[] = [];
      let cursor: number | null | undefined = undefined;
      do {
        const page: Awaited<ReturnType<typeof kit.anonymous.stream.live>> = await kit.anonymous.stream.live({
          limit: 2,
          cursor,
        });
        pages.push(page.items.length);
        seen.push(...page.items.map((s) => s.username));
        cursor = page.nextCursor;
      } while (cursor !== null && pages.length < 10);
      expect(pages).toEqual([2, 2, 1]);
      expect(seen).toEqual(["eve", "cat", "ana", "dan", "ben"]);
    });

    it("has no next page when the limit covers everything exactly", async () => {
      const page = await kit.anonymous.stream.live({ limit: 5 });
      expect(page.items).toHaveLength(5);
      expect(page.nextCursor).toBeNull();
      const past = await kit.anonymous.stream.live({ limit: 5, cursor: 5 });
      expect(past).toEqual({ items: [], nextCursor: null });
    });

    it("searches titles and usernames, case-insensitively", async () => {
      const byTitle = await kit.anonymous.stream.live({ query: "SpeedRun" });
      expect(byTitle.items.map((s) => s.username)).toEqual(["eve", "ana"]);
      const byName = await kit.anonymous.stream.live({ query: "DAN" });
      expect(byName.items.map((s) => s.username)).toEqual(["dan"]);
      expect((await kit.anonymous.stream.live({ query: "offline" })).items).toEqual([]);
      expect((await kit.anonymous.stream.live({ query: "zzz-nothing" })).items).toEqual([]);
    });

    it("treats % and _ in a search literally", async () => {
      expect((await kit.anonymous.stream.live({ query: "%" })).items.map((s) => s.username)).toEqual(["cat"]);
      expect((await kit.anonymous.stream.live({ query: "_" })).items).toEqual([]);
    });

    it("pages a search too", async () => {
      const first = await kit.anonymous.stream.live({ query: "speedrun", limit: 1 });
      expect(first.items.map((s) => s.username)).toEqual(["eve"]);
      expect(first.nextCursor).not.toBeNull();
      const second = await kit.anonymous.stream.live({ query: "speedrun", limit: 1, cursor: first.nextCursor });
      expect(second.items.map((s) => s.username)).toEqual(["ana"]);
      expect(second.nextCursor).toBeNull();
    });

    it("drops a channel once it is no longer live", async () => {
      await setLive("cat", null);
      const { items } = await kit.anonymous.stream.live();
      expect(items.map((s) => s.username)).toEqual(["eve", "ana", "dan", "ben"]);
      await setLive("cat", 5);
    });

    const bad: [string, Record<string, unknown>, string][] = [
      ["limit 0", { limit: 0 }, "limit"],
      ["limit 101", { limit: 101 }, "limit"],
      ["cursor -1", { cursor: -1 }, "cursor"],
      ["cursor 1.5", { cursor: 1.5 }, "cursor"],
      ["a 101-character query", { query: "q".repeat(101) }, "query"],
    ];
    for (const [label, input, field] of bad) {
      it(`BAD_REQUEST naming ${field} for ${label}`, async () => {
        const error = await trpcError(kit.anonymous.stream.live(input));
        expect(error.code).toBe("BAD_REQUEST");
        expect(clientShape(error).message).toMatch(new RegExp(`^${field}: `));
      });
    }
  });
});
