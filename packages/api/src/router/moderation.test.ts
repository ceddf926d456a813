import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { chatCooldown } from "@onair/db";
import { createTestKit, trpcError, uniqueName, type SignedUp, type TestKit } from "../test/helpers";

describe("moderation by the channel's creator and admins", () => {
  let kit: TestKit;
  let creator: SignedUp;
  let rival: SignedUp;
  let troll: SignedUp;
  let admin: SignedUp;
  let channel: string;

  beforeAll(async () => {
    kit = await createTestKit();
    creator = await kit.makeCreator(uniqueName("mod"));
    rival = await kit.makeCreator(uniqueName("rival"));
    troll = await kit.signUp({ username: uniqueName("troll") });
    admin = await kit.makeAdmin();
    channel = creator.user.username!;
    await creator.caller.stream.goLive();
  });
  afterAll(() => kit?.close());
  beforeEach(() => kit.db.delete(chatCooldown)); // each test starts outside the per-user rate limit

  const trollName = () => troll.user.username!;

  it("refuses every moderation action to anyone but the creator and admins", async () => {
    const message = await troll.caller.chat.send({ username: channel, text: "spam" });
    const cases = [
      [kit.anonymous, "UNAUTHORIZED"],
      [troll.caller, "FORBIDDEN"],
      [rival.caller, "FORBIDDEN"],
    ] as const;
    for (const [caller, code] of cases) {
      expect((await trpcError(caller.moderation.deleteMessage({ channel, messageId: message.id }))).code).toBe(code);
      expect((await trpcError(caller.moderation.ban({ channel, username: trollName() }))).code).toBe(code);
      expect((await trpcError(caller.moderation.timeout({ channel, username: trollName(), minutes: 5 }))).code).toBe(code);
      expect((await trpcError(caller.moderation.block({ channel, username: trollName() }))).code).toBe(code);
      expect((await trpcError(caller.moderation.list({ channel }))).code).toBe(code);
    }
    expect((await kit.anonymous.chat.history({ username: channel })).items.map((m) => m.id)).toContain(message.id);
  });

  it("deleting a message removes it from history; another channel's message is NOT_FOUND", async () => {
    const message = await troll.caller.chat.send({ username: channel, text: "delete me" });
    const elsewhere = await kit.signUp({ username: uniqueName("else") });
    const other = await elsewhere.caller.chat.send({ username: rival.user.username!, text: "not yours" });
    expect((await trpcError(creator.caller.moderation.deleteMessage({ channel, messageId: other.id }))).code).toBe("NOT_FOUND");
    expect(await creator.caller.moderation.deleteMessage({ channel, messageId: message.id })).toEqual({
      id: message.id,
      deleted: true,
    });
    expect((await kit.anonymous.chat.history({ username: channel })).items.map((m) => m.id)).not.toContain(message.id);
  });

  it("a timeout refuses sends with the time it ends; unban lifts it", async () => {
    const result = await creator.caller.moderation.timeout({ channel, username: trollName(), minutes: 10 });
    expect(result.until!.getTime()).toBeGreaterThan(Date.now() + 9 * 60_000);
    const error = await trpcError(troll.caller.chat.send({ username: channel, text: "hello?" }));
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toMatch(/timed out in this chat until \d\d:\d\d UTC \((10|9) min left\)/);
    expect(await creator.caller.moderation.unban({ channel, username: trollName() })).toEqual({
      username: trollName(),
      lifted: true,
    });
    expect(await troll.caller.chat.send({ username: channel, text: "I'm back" })).toBeTruthy();
  });

  it("a ban refuses sends until lifted; admins can ban in any channel", async () => {
    await admin.caller.moderation.ban({ channel, username: trollName() });
    expect((await trpcError(troll.caller.chat.send({ username: channel, text: "x" }))).message).toMatch(/banned/);
    expect((await creator.caller.moderation.list({ channel })).map((r) => [r.username, r.kind])).toEqual([[trollName(), "ban"]]);
    expect((await troll.caller.chat.permission({ username: channel })).canSend).toBe(false);
    const token = await troll.caller.stream.token({ username: channel }); // a ban still lets them watch
    expect(token.canChat).toBe(false);
    await creator.caller.moderation.unban({ channel, username: trollName() });
  });

  it("a block refuses the viewer token too; the creator cannot restrict themselves", async () => {
    await creator.caller.moderation.block({ channel, username: trollName() });
    const refused = await trpcError(troll.caller.stream.token({ username: channel }));
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.message).toMatch(/blocked you from watching/);
    // Their chat says why in the channel's words, not "banned from this chat".
    const send = await trpcError(troll.caller.chat.send({ username: channel, text: "let me in" }));
    expect([send.code, send.message]).toEqual(["FORBIDDEN", "The creator has blocked you from this channel"]);
    expect(await troll.caller.chat.permission({ username: channel })).toMatchObject({
      canSend: false,
      reason: "The creator has blocked you from this channel",
    });
    expect((await trpcError(creator.caller.moderation.ban({ channel, username: channel }))).code).toBe("BAD_REQUEST");
    await creator.caller.moderation.unban({ channel, username: trollName() });
    expect((await troll.caller.stream.token({ username: channel })).identity).toBe(`viewer-${troll.user.id}`);
  });
});
