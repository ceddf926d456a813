import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { chatCooldown, chatMessage } from "@onair/db";
import { clientShape, createTestKit, trpcError, uniqueName, type SignedUp, type TestKit } from "../test/helpers";

describe("chat: rules enforced on the server", () => {
  let kit: TestKit;
  let creator: SignedUp;
  let viewer: SignedUp;
  let fan: SignedUp;
  let admin: SignedUp;
  let channel: string;

  beforeAll(async () => {
    kit = await createTestKit();
    creator = await kit.makeCreator(uniqueName("host"));
    channel = creator.user.username!;
    viewer = await kit.signUp({ username: uniqueName("view") });
    fan = await kit.signUp({ username: uniqueName("fan") });
    admin = await kit.makeAdmin();
  });
  afterAll(() => kit?.close());
  beforeEach(async () => {
    await kit.db.delete(chatCooldown); // each test starts outside every window
    await creator.caller.stream.updateChatSettings({
      isChatEnabled: true,
      isChatDelayed: false,
      isChatFollowersOnly: false,
      slowModeSeconds: 10,
    });
  });

  const count = async () => (await kit.db.select().from(chatMessage)).length;

  it("stores a message and returns it; history is oldest first; works while offline", async () => {
    const sent = await viewer.caller.chat.send({ username: channel.toUpperCase(), text: "  hello there  " });
    expect(sent).toMatchObject({ type: "message", text: "hello there", user: { username: viewer.user.username, badge: null } });
    const second = await creator.caller.chat.send({ username: channel, text: "welcome!" });
    expect(second.user.badge).toBe("creator");
    expect(second.id).toBeGreaterThan(sent.id);
    const { items } = await kit.anonymous.chat.history({ username: channel });
    expect(items.slice(-2).map((m) => m.text)).toEqual(["hello there", "welcome!"]);
    const limited = await kit.anonymous.chat.history({ username: channel, limit: 1 });
    expect(limited.items.map((m) => m.text)).toEqual(["welcome!"]);
  });

  it("guests read but cannot send; bad text is BAD_REQUEST naming text and stores nothing", async () => {
    expect((await trpcError(kit.anonymous.chat.send({ username: channel, text: "hi" }))).code).toBe("UNAUTHORIZED");
    const before = await count();
    for (const text of ["", "   ", "x".repeat(501), "bad\u0007bell", "line\nbreak"]) {
      const error = await trpcError(viewer.caller.chat.send({ username: channel, text }));
      expect(error.code).toBe("BAD_REQUEST");
      expect(clientShape(error).message).toMatch(/^text/);
    }
    expect(await viewer.caller.chat.send({ username: channel, text: "x".repeat(500) })).toBeTruthy();
    expect(await count()).toBe(before + 1);
    expect((await trpcError(viewer.caller.chat.send({ username: "no_channel_here", text: "hi" }))).code).toBe("NOT_FOUND");
  });

  it("text is stored as text: markup is not interpreted or stripped", async () => {
    const sent = await viewer.caller.chat.send({ username: channel, text: "<img src=x onerror=alert(1)>" });
    expect(sent.text).toBe("<img src=x onerror=alert(1)>");
  });

  it("chat off refuses everyone, the creator included, with FORBIDDEN", async () => {
    await creator.caller.stream.updateChatSettings({ isChatEnabled: false });
    for (const who of [viewer, creator, admin]) {
      const error = await trpcError(who.caller.chat.send({ username: channel, text: "anyone?" }));
      expect(error.code).toBe("FORBIDDEN");
      expect(error.message).toMatch(/turned off/);
    }
    expect(await viewer.caller.chat.permission({ username: channel })).toMatchObject({ canSend: false });
  });

  it("followers-only lets followers (after N minutes), the creator and admins in", async () => {
    await creator.caller.stream.updateChatSettings({ isChatFollowersOnly: true });
    const refused = await trpcError(fan.caller.chat.send({ username: channel, text: "let me in" }));
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.message).toMatch(/followers only/);
    expect((await fan.caller.chat.permission({ username: channel })).reason).toMatch(/followers only/);
    await fan.caller.follow.follow({ username: channel });
    expect((await fan.caller.chat.send({ username: channel, text: "I follow now" })).text).toBe("I follow now");
    expect(await creator.caller.chat.send({ username: channel, text: "creator exempt" })).toBeTruthy();
    expect(await admin.caller.chat.send({ username: channel, text: "admin exempt" })).toBeTruthy();

    await kit.db.delete(chatCooldown);
    await creator.caller.stream.updateChatSettings({ followersOnlyMinutes: 30 });
    const tooNew = await trpcError(fan.caller.chat.send({ username: channel, text: "still?" }));
    expect(tooNew.message).toMatch(/at least 30 min/);
    await creator.caller.stream.updateChatSettings({ followersOnlyMinutes: 0 });
    await fan.caller.follow.unfollow({ username: channel });
  });

  it("slow mode: one message per N seconds, TOO_MANY_REQUESTS with the wait; creator and admins exempt", async () => {
    await creator.caller.stream.updateChatSettings({ isChatDelayed: true, slowModeSeconds: 30 });
    await viewer.caller.chat.send({ username: channel, text: "first" });
    const error = await trpcError(viewer.caller.chat.send({ username: channel, text: "second" }));
    expect(error.code).toBe("TOO_MANY_REQUESTS");
    expect(error.message).toMatch(/^Slow mode is on: wait (2[6-9]|30) s$/);
    const wait = clientShape(error).data.retryAfterSeconds;
    expect(wait).toBeGreaterThan(25);
    expect(wait).toBeLessThanOrEqual(30);
    await creator.caller.chat.send({ username: channel, text: "c1" });
    await creator.caller.chat.send({ username: channel, text: "c2" }).catch(() => null); // base rate limit may apply
    await admin.caller.chat.send({ username: channel, text: "a1" });
  });

  it("two sends racing inside the slow-mode window: exactly one is stored", async () => {
    await creator.caller.stream.updateChatSettings({ isChatDelayed: true, slowModeSeconds: 60 });
    const before = await count();
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => fan.caller.chat.send({ username: channel, text: `race ${i}` })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect((r.reason as { code: string }).code).toBe("TOO_MANY_REQUESTS");
    expect(await count()).toBe(before + 1);
  });

  it("a refused send counts against no limit; the base rate limit allows one message per second", async () => {
    await creator.caller.stream.updateChatSettings({ isChatFollowersOnly: true });
    await trpcError(fan.caller.chat.send({ username: channel, text: "refused" }));
    const [slot] = await kit.db.select().from(chatCooldown).where(eq(chatCooldown.userId, fan.user.id));
    expect(slot).toBeUndefined();
    await creator.caller.stream.updateChatSettings({ isChatFollowersOnly: false });
    await fan.caller.chat.send({ username: channel, text: "one" });
    const burst = await trpcError(fan.caller.chat.send({ username: channel, text: "two" }));
    expect(burst.code).toBe("TOO_MANY_REQUESTS");
    expect(burst.message).toBe("Slow down: wait 1 s");
    // A second passes, on the clock the limit reads (the database's): the last send moves 1 s back.
    await kit.db
      .update(chatCooldown)
      .set({ lastSentAt: sql`${chatCooldown.lastSentAt} - interval '1 second'` })
      .where(eq(chatCooldown.userId, fan.user.id));
    expect((await fan.caller.chat.send({ username: channel, text: "three" })).text).toBe("three");
  });
});
