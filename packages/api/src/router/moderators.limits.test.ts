import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { channelRestriction, chatCooldown, chatMessage } from "@onair/db";
import { createTestKit, trpcError, uniqueName, type SignedUp, type TestKit } from "../test/helpers";

/** What a moderator may not touch (issue #21: a moderator must never lift the creator's block by overwriting it). */
describe("the limits of a moderator: blocks, the creator, admins, and a moderator restricted themself", () => {
  let kit: TestKit;
  let creator: SignedUp;
  let mod: SignedUp;
  let troll: SignedUp;
  let admin: SignedUp;
  let channel: string;
  let streamId: string;

  beforeAll(async () => {
    kit = await createTestKit();
    creator = await kit.makeCreator(uniqueName("chan"));
    mod = await kit.signUp({ username: uniqueName("mod") });
    troll = await kit.signUp({ username: uniqueName("troll") });
    admin = await kit.makeAdmin();
    channel = creator.user.username!;
    streamId = (await creator.caller.stream.mine())!.id;
    await creator.caller.stream.goLive();
    await creator.caller.moderation.addModerator({ channel, username: mod.user.username! });
  });
  afterAll(() => kit?.close());
  beforeEach(async () => {
    await kit.db.delete(chatCooldown);
    await kit.db.delete(channelRestriction).where(eq(channelRestriction.streamId, streamId));
  });

  const trollName = () => troll.user.username!;
  const stored = async (userId: string) =>
    (
      await kit.db
        .select({ kind: channelRestriction.kind, createdById: channelRestriction.createdById })
        .from(channelRestriction)
        .where(and(eq(channelRestriction.streamId, streamId), eq(channelRestriction.userId, userId)))
    )[0] ?? null;

  it("a moderator cannot time out, ban or unban a user the creator blocked: the block stays and still refuses the viewer token", async () => {
    await creator.caller.moderation.block({ channel, username: trollName() });
    for (const call of [
      () => mod.caller.moderation.timeout({ channel, username: trollName(), minutes: 1 }),
      () => mod.caller.moderation.ban({ channel, username: trollName() }),
      () => mod.caller.moderation.unban({ channel, username: trollName() }),
    ]) {
      const error = await trpcError(call());
      expect(error.code).toBe("FORBIDDEN");
      expect(error.message).toMatch(/blocked by the channel's creator/);
    }
    expect(await stored(troll.user.id)).toEqual({ kind: "block", createdById: creator.user.id });
    expect((await trpcError(troll.caller.stream.token({ username: channel }))).code).toBe("FORBIDDEN");
  });

  it("nobody downgrades a block by accident: the creator's or an admin's timeout or ban of a blocked user is a CONFLICT; a block over a ban replaces it", async () => {
    await creator.caller.moderation.block({ channel, username: trollName() });
    for (const call of [
      () => creator.caller.moderation.timeout({ channel, username: trollName(), minutes: 5 }),
      () => admin.caller.moderation.ban({ channel, username: trollName() }),
    ]) {
      const error = await trpcError(call());
      expect(error.code).toBe("CONFLICT");
      expect(error.message).toMatch(/is blocked from this channel.*lift the block first/);
    }
    expect((await stored(troll.user.id))?.kind).toBe("block");
    expect((await trpcError(troll.caller.stream.token({ username: channel }))).code).toBe("FORBIDDEN");

    // Lifting it first, then a ban, is the way down; a block over a ban (or a block again) goes up.
    expect((await creator.caller.moderation.unban({ channel, username: trollName() })).lifted).toBe(true);
    expect((await mod.caller.moderation.ban({ channel, username: trollName() })).kind).toBe("ban");
    expect((await creator.caller.moderation.block({ channel, username: trollName() })).kind).toBe("block");
    expect((await admin.caller.moderation.block({ channel, username: trollName() })).kind).toBe("block");
    expect(await stored(troll.user.id)).toEqual({ kind: "block", createdById: admin.user.id });
  });

  it("a block and a moderator's timeout racing always end blocked", async () => {
    for (let round = 0; round < 8; round += 1) {
      await kit.db.delete(channelRestriction).where(eq(channelRestriction.streamId, streamId));
      const [, timeout] = await Promise.allSettled([
        creator.caller.moderation.block({ channel, username: trollName() }),
        mod.caller.moderation.timeout({ channel, username: trollName(), minutes: 1 }),
      ]);
      expect((await stored(troll.user.id))?.kind, `round ${round}`).toBe("block");
      if (timeout.status === "rejected") expect(timeout.reason).toMatchObject({ code: "FORBIDDEN" });
    }
  });

  it("a moderator cannot act on the creator or a site admin: restrict, unban or delete their messages", async () => {
    for (const target of [channel, admin.user.username!]) {
      for (const call of [
        () => mod.caller.moderation.timeout({ channel, username: target, minutes: 1 }),
        () => mod.caller.moderation.ban({ channel, username: target }),
        () => mod.caller.moderation.unban({ channel, username: target }),
      ]) {
        const error = await trpcError(call());
        expect(error.code, target).toBe("FORBIDDEN");
        expect(error.message).toMatch(/A moderator cannot act on (the channel's creator|a site admin)/);
      }
    }
    expect(await stored(admin.user.id)).toBeNull();
    for (const author of [creator, admin]) {
      const message = await author.caller.chat.send({ username: channel, text: "from the top" });
      expect((await trpcError(mod.caller.moderation.deleteMessage({ channel, messageId: message.id }))).code).toBe("FORBIDDEN");
      expect((await kit.anonymous.chat.history({ username: channel })).items.map((m) => m.id)).toContain(message.id);
    }
    // A blocked user's older message (the block removed only the last 24 h) may still be cleaned up.
    const old = await troll.caller.chat.send({ username: channel, text: "spam from yesterday" });
    await kit.db
      .update(chatMessage)
      .set({ createdAt: new Date(Date.now() - 25 * 3600_000) })
      .where(eq(chatMessage.id, old.id));
    await creator.caller.moderation.block({ channel, username: trollName() });
    expect(await mod.caller.moderation.deleteMessage({ channel, messageId: old.id })).toEqual({ id: old.id, deleted: true });
    expect((await stored(troll.user.id))?.kind).toBe("block");
  });

  it("a moderator timed out or banned in the channel cannot moderate it until lifted", async () => {
    const message = await troll.caller.chat.send({ username: channel, text: "spam" });
    for (const restrict of [
      () => creator.caller.moderation.timeout({ channel, username: mod.user.username!, minutes: 10 }),
      () => creator.caller.moderation.ban({ channel, username: mod.user.username! }),
    ]) {
      const { kind } = await restrict();
      for (const call of [
        () => mod.caller.moderation.ban({ channel, username: trollName() }),
        () => mod.caller.moderation.timeout({ channel, username: trollName(), minutes: 1 }),
        () => mod.caller.moderation.unban({ channel, username: trollName() }),
        () => mod.caller.moderation.deleteMessage({ channel, messageId: message.id }),
        () => mod.caller.moderation.list({ channel }),
      ]) {
        const error = await trpcError(call());
        expect(error.code, kind).toBe("FORBIDDEN");
        expect(error.message).toMatch(kind === "timeout" ? /You are timed out in this channel/ : /You are banned from this channel/);
      }
      expect(await stored(troll.user.id)).toBeNull();
    }
    await creator.caller.moderation.unban({ channel, username: mod.user.username! });
    expect((await mod.caller.moderation.ban({ channel, username: trollName() })).kind).toBe("ban");
  });

  it("chat.permission tells a suspended moderator they cannot moderate, as the server refuses them", async () => {
    const standing = async () => {
      const { isModerator, channelRole, moderationSuspended } = await mod.caller.chat.permission({ username: channel });
      return { isModerator, channelRole, suspended: moderationSuspended };
    };
    expect(await standing()).toEqual({ isModerator: true, channelRole: "moderator", suspended: null });
    await creator.caller.moderation.timeout({ channel, username: mod.user.username!, minutes: 10 });
    const suspended = await standing();
    expect({ ...suspended, suspended: null }).toEqual({ isModerator: false, channelRole: null, suspended: null });
    expect(suspended.suspended).toMatch(/You are timed out in this channel/);
    expect((await trpcError(mod.caller.moderation.list({ channel }))).code).toBe("FORBIDDEN");
    await creator.caller.moderation.unban({ channel, username: mod.user.username! });
    expect(await standing()).toEqual({ isModerator: true, channelRole: "moderator", suspended: null });
  });
});
