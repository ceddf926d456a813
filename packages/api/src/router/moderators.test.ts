import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { chatCooldown } from "@onair/db";
import type { ChatEvent } from "../services/chat/chat-bus";
import { createTestKit, trpcError, uniqueName, type SignedUp, type TestKit } from "../test/helpers";
import { subscribe, waitFor } from "../test/subscribe";

describe("a moderation team: moderators appointed by the channel's creator", () => {
  let kit: TestKit;
  let creator: SignedUp;
  let other: SignedUp;
  let mod: SignedUp;
  let troll: SignedUp;
  let bystander: SignedUp;
  let admin: SignedUp;
  let channel: string;
  let streamId: string;

  beforeAll(async () => {
    kit = await createTestKit();
    creator = await kit.makeCreator(uniqueName("chan"));
    other = await kit.makeCreator(uniqueName("other"));
    mod = await kit.signUp({ username: uniqueName("bob") });
    troll = await kit.signUp({ username: uniqueName("carol") });
    bystander = await kit.signUp({ username: uniqueName("dan") });
    admin = await kit.makeAdmin();
    channel = creator.user.username!;
    streamId = (await creator.caller.stream.mine())!.id;
    await creator.caller.stream.goLive();
    await creator.caller.moderation.addModerator({ channel, username: mod.user.username! });
  });
  afterAll(() => kit?.close());
  beforeEach(async () => {
    await kit.db.delete(chatCooldown);
    for (const user of [troll, bystander]) await creator.caller.moderation.unban({ channel, username: user.user.username! });
  });

  it("only the creator or an admin appoints and removes moderators; the creator and moderators list them", async () => {
    const name = bystander.user.username!;
    for (const [caller, code] of [
      [kit.anonymous, "UNAUTHORIZED"],
      [bystander.caller, "FORBIDDEN"],
      [mod.caller, "FORBIDDEN"],
      [other.caller, "FORBIDDEN"],
    ] as const) {
      expect((await trpcError(caller.moderation.addModerator({ channel, username: name }))).code).toBe(code);
      expect((await trpcError(caller.moderation.removeModerator({ channel, username: mod.user.username! }))).code).toBe(code);
    }
    expect((await trpcError(bystander.caller.moderation.moderators({ channel }))).code).toBe("FORBIDDEN");
    expect((await trpcError(creator.caller.moderation.addModerator({ channel, username: channel }))).code).toBe("BAD_REQUEST");
    expect((await trpcError(creator.caller.moderation.addModerator({ channel, username: "nobody_here" }))).code).toBe("NOT_FOUND");

    expect(await admin.caller.moderation.addModerator({ channel, username: name })).toMatchObject({
      username: name,
      moderator: true,
      changed: true,
    });
    expect((await creator.caller.moderation.addModerator({ channel, username: name })).changed).toBe(false); // twice is harmless
    expect((await mod.caller.moderation.moderators({ channel })).map((m) => m.username)).toEqual([mod.user.username, name]);
    expect(await creator.caller.moderation.removeModerator({ channel, username: name })).toMatchObject({ moderator: false, changed: true });
    expect((await creator.caller.moderation.moderators({ channel })).map((m) => m.username)).toEqual([mod.user.username]);
    expect((await bystander.caller.chat.permission({ username: channel })).channelRole).toBeNull();
    expect((await mod.caller.chat.permission({ username: channel })).channelRole).toBe("moderator");
  });

  it("a moderator deletes, times out, bans, unbans and lists in that channel, and nothing else", async () => {
    const carol = troll.user.username!;
    const message = await troll.caller.chat.send({ username: channel, text: "spam" });
    expect(await mod.caller.moderation.deleteMessage({ channel, messageId: message.id })).toEqual({ id: message.id, deleted: true });
    expect((await mod.caller.moderation.timeout({ channel, username: carol, minutes: 10 })).kind).toBe("timeout");
    expect((await mod.caller.moderation.ban({ channel, username: carol })).kind).toBe("ban");
    expect((await mod.caller.moderation.list({ channel })).map((r) => [r.username, r.kind])).toEqual([[carol, "ban"]]);
    expect(await mod.caller.moderation.unban({ channel, username: carol })).toEqual({ username: carol, lifted: true });

    // Not: blocking from watching, lifting the creator's block, appointing, restricting a fellow moderator, settings, another channel.
    expect((await trpcError(mod.caller.moderation.block({ channel, username: carol }))).code).toBe("FORBIDDEN");
    await creator.caller.moderation.block({ channel, username: carol });
    expect((await trpcError(mod.caller.moderation.unban({ channel, username: carol }))).code).toBe("FORBIDDEN");
    expect((await creator.caller.moderation.list({ channel })).map((r) => r.kind)).toEqual(["block"]);
    await admin.caller.moderation.addModerator({ channel, username: bystander.user.username! });
    try {
      expect((await trpcError(mod.caller.moderation.ban({ channel, username: bystander.user.username! }))).code).toBe("FORBIDDEN");
    } finally {
      await creator.caller.moderation.removeModerator({ channel, username: bystander.user.username! });
    }
    expect((await trpcError(mod.caller.stream.updateChatSettings({ isChatEnabled: false }))).code).toBe("FORBIDDEN");
    const elsewhere = other.user.username!;
    expect((await trpcError(mod.caller.moderation.ban({ channel: elsewhere, username: carol }))).code).toBe("FORBIDDEN");
    expect((await trpcError(mod.caller.moderation.list({ channel: elsewhere }))).code).toBe("FORBIDDEN");
  });

  it("moderators carry a badge in chat, live and in history, in their channel only", async () => {
    const sent = await mod.caller.chat.send({ username: channel, text: "be nice, folks" });
    expect(sent.user.badge).toBe("moderator");
    const inHistory = (await kit.anonymous.chat.history({ username: channel })).items.find((m) => m.id === sent.id);
    expect(inHistory?.user.badge).toBe("moderator");
    expect((await bystander.caller.chat.send({ username: channel, text: "hi" })).user.badge).toBeNull();
    const elsewhere = await mod.caller.chat.send({ username: other.user.username!, text: "hello" });
    expect(elsewhere.user.badge).toBeNull(); // a moderator of one channel only
  });

  it("a ban or timeout removes the user's recent messages from chat.history and from every open chat", async () => {
    const guest = subscribe<ChatEvent>(kit, undefined, (caller) => caller.chat.onMessage({ username: channel }));
    await waitFor(() => kit.services.chat.listenerCount(streamId) > 0, "the guest's subscription");
    const first = await troll.caller.chat.send({ username: channel, text: "buy followers" });
    await kit.db.delete(chatCooldown);
    const second = await troll.caller.chat.send({ username: channel, text: "buy them now" });
    const kept = await bystander.caller.chat.send({ username: channel, text: "ignore them" });
    const result = await mod.caller.moderation.timeout({ channel, username: troll.user.username!, minutes: 10 });
    expect(result.removedMessages).toBe(2);
    const removed = await guest.next((e) => e.type === "removed", "the removed event");
    expect(removed).toEqual({ type: "removed", ids: [first.id, second.id] });
    const ids = (await kit.anonymous.chat.history({ username: channel, limit: 200 })).items.map((m) => m.id);
    expect(ids).not.toContain(first.id);
    expect(ids).not.toContain(second.id);
    expect(ids).toContain(kept.id);
    await guest.stop();
  });

  it("restricted events go only to the user and the channel's moderators; the rest see only the messages removed", async () => {
    const watchers = {
      guest: subscribe<ChatEvent>(kit, undefined, (caller) => caller.chat.onMessage({ username: channel })),
      bystander: subscribe<ChatEvent>(kit, bystander.headers, (caller) => caller.chat.onMessage({ username: channel })),
      affected: subscribe<ChatEvent>(kit, troll.headers, (caller) => caller.chat.onMessage({ username: channel })),
      moderator: subscribe<ChatEvent>(kit, mod.headers, (caller) => caller.chat.onMessage({ username: channel })),
      creator: subscribe<ChatEvent>(kit, creator.headers, (caller) => caller.chat.onMessage({ username: channel })),
    };
    await waitFor(() => kit.services.chat.listenerCount(streamId) >= 5, "five subscriptions");
    await troll.caller.chat.send({ username: channel, text: "flood" });
    await mod.caller.moderation.ban({ channel, username: troll.user.username! });
    await creator.caller.moderation.unban({ channel, username: troll.user.username! });
    const marker = await creator.caller.chat.send({ username: channel, text: "after the ban" });
    const expected = { type: "restricted", userId: troll.user.id, username: troll.user.username, kind: "ban", by: mod.user.username };
    for (const [who, watcher] of Object.entries(watchers)) {
      await watcher.next((e) => e.type === "message" && e.id === marker.id, `${who}'s marker`);
      const restricted = watcher.received.filter((e) => e.type === "restricted");
      if (who === "guest" || who === "bystander") expect(restricted, who).toEqual([]);
      else expect(restricted[0], who).toMatchObject(expected);
      if (who !== "guest" && who !== "bystander")
        expect(
          restricted.map((e) => e.type === "restricted" && e.kind),
          who,
        ).toEqual(["ban", null]);
      expect(
        watcher.received.some((e) => e.type === "removed"),
        who,
      ).toBe(true);
    }
    await Promise.all(Object.values(watchers).map((watcher) => watcher.stop()));
  });

  it("blocking a viewer disconnects them now: LiveKit removes their participant and their page hears it", async () => {
    const live = await creator.caller.stream.goLive();
    const identity = `viewer-${troll.user.id}`;
    kit.livekitDouble.participants.set(live.roomName, [creator.user.id, identity, `viewer-${bystander.user.id}`]);
    const page = subscribe<ChatEvent>(kit, troll.headers, (caller) => caller.chat.onMessage({ username: channel }));
    await waitFor(() => kit.services.chat.listenerCount(streamId) > 0, "the viewer's subscription");

    const result = await creator.caller.moderation.block({ channel, username: troll.user.username! });
    expect(result.disconnected).toBe(true);
    const call = kit.livekitDouble.calls.find((c) => c.method === "RemoveParticipant");
    expect(call?.body).toMatchObject({ room: live.roomName, identity });
    expect(call?.grants.video).toMatchObject({ roomAdmin: true, room: live.roomName });
    expect(kit.livekitDouble.participants.get(live.roomName)).toEqual([creator.user.id, `viewer-${bystander.user.id}`]);
    expect(await page.next((e) => e.type === "restricted", "the block event")).toMatchObject({ kind: "block", userId: troll.user.id });
    expect((await trpcError(troll.caller.stream.token({ username: channel }))).code).toBe("FORBIDDEN");
    await page.stop();
  });
});
