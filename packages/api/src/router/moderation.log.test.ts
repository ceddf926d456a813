import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { chatCooldown, moderationLog } from "@onair/db";
import type { ModerationEntry } from "../services/moderation/moderation-log";
import { createTestKit, trpcError, uniqueName, type SignedUp, type TestKit } from "../test/helpers";
import { subscribe, waitFor } from "../test/subscribe";

describe("moderation.log and moderation.onChange: every moderation action, for the creator and moderators", () => {
  let kit: TestKit;
  let creator: SignedUp;
  let mod: SignedUp;
  let troll: SignedUp;
  let stranger: SignedUp;
  let admin: SignedUp;
  let channel: string;

  beforeAll(async () => {
    kit = await createTestKit();
    creator = await kit.makeCreator(uniqueName("logchan"));
    mod = await kit.signUp({ username: uniqueName("logmod") });
    troll = await kit.signUp({ username: uniqueName("logtroll") });
    stranger = await kit.signUp({ username: uniqueName("logstranger") });
    admin = await kit.makeAdmin();
    channel = creator.user.username!;
    await creator.caller.stream.goLive();
  });
  afterAll(() => kit?.close());
  beforeEach(async () => {
    await kit.db.delete(chatCooldown);
    await creator.caller.moderation.addModerator({ channel, username: mod.user.username! });
    await creator.caller.moderation.unban({ channel, username: troll.user.username! });
    await kit.db.delete(moderationLog);
  });

  const trollName = () => troll.user.username!;
  const entries = async (caller = creator.caller) => (await caller.moderation.log({ channel })).items;

  it("records every action, newest first, with who, whom, how long and why", async () => {
    const message = await troll.caller.chat.send({ username: channel, text: "spam" });
    await mod.caller.moderation.deleteMessage({ channel, messageId: message.id });
    await mod.caller.moderation.timeout({ channel, username: trollName(), minutes: 60, reason: "  spamming links " });
    await mod.caller.moderation.ban({ channel, username: trollName(), reason: "again" });
    await mod.caller.moderation.unban({ channel, username: trollName() });
    await creator.caller.moderation.block({ channel, username: trollName() });
    await creator.caller.moderation.unban({ channel, username: trollName() });
    await creator.caller.moderation.removeModerator({ channel, username: mod.user.username! });
    await admin.caller.moderation.addModerator({ channel, username: mod.user.username! });
    await creator.caller.moderation.unban({ channel, username: trollName() }); // nothing to lift: not logged

    const items = await entries(mod.caller);
    const m = mod.user.username!;
    const t = trollName();
    const c = channel;
    expect(items.map(({ actor, target, action, minutes, reason }) => ({ actor, target, action, minutes, reason }))).toEqual([
      { actor: admin.user.username, target: m, action: "moderator_added", minutes: undefined, reason: undefined },
      { actor: c, target: m, action: "moderator_removed", minutes: undefined, reason: undefined },
      { actor: c, target: t, action: "unblock", minutes: undefined, reason: undefined },
      { actor: c, target: t, action: "block", minutes: undefined, reason: undefined },
      { actor: m, target: t, action: "unban", minutes: undefined, reason: undefined },
      { actor: m, target: t, action: "ban", minutes: undefined, reason: "again" },
      { actor: m, target: t, action: "timeout", minutes: 60, reason: "spamming links" },
      { actor: m, target: t, action: "delete", minutes: undefined, reason: undefined },
    ]);
    expect(items[0]!.at).toBeInstanceOf(Date);
    expect(items.map((e) => e.id)).toEqual([...items.map((e) => e.id)].sort((a, b) => b - a));
  });

  it("pages with a cursor, none twice", async () => {
    for (const minutes of [1, 10, 60, 1440, 5]) await creator.caller.moderation.timeout({ channel, username: trollName(), minutes });
    const first = await creator.caller.moderation.log({ channel, limit: 2 });
    const second = await creator.caller.moderation.log({ channel, limit: 2, cursor: first.nextCursor! });
    const third = await creator.caller.moderation.log({ channel, limit: 2, cursor: second.nextCursor! });
    expect([...first.items, ...second.items, ...third.items].map((e) => e.minutes)).toEqual([5, 1440, 60, 10, 1]);
    expect(third.nextCursor).toBeNull();
  });

  it("only the creator, an admin or a moderator reads it; an unknown channel is NOT_FOUND", async () => {
    await creator.caller.moderation.ban({ channel, username: trollName() });
    expect((await entries(admin.caller)).map((e) => e.action)).toEqual(["ban"]);
    expect((await trpcError(kit.anonymous.moderation.log({ channel }))).code).toBe("UNAUTHORIZED");
    expect((await trpcError(stranger.caller.moderation.log({ channel }))).code).toBe("FORBIDDEN");
    expect((await trpcError(troll.caller.moderation.log({ channel }))).code).toBe("FORBIDDEN");
    expect((await trpcError(creator.caller.moderation.log({ channel: "nobody_here_at_all" }))).code).toBe("NOT_FOUND");
    // A moderator timed out in the channel cannot moderate it, nor read its log.
    await creator.caller.moderation.timeout({ channel, username: mod.user.username!, minutes: 1 });
    expect((await trpcError(mod.caller.moderation.log({ channel }))).code).toBe("FORBIDDEN");
    await creator.caller.moderation.unban({ channel, username: mod.user.username! });
  });

  it("a timeout needs its minutes (1 to 10080) and a reason of at most 200 characters, named in the error", async () => {
    const cases = [
      [{ channel, username: trollName() }, "minutes"],
      [{ channel, username: trollName(), minutes: 0 }, "minutes"],
      [{ channel, username: trollName(), minutes: 10_081 }, "minutes"],
      [{ channel, username: trollName(), minutes: 1.5 }, "minutes"],
      [{ channel, username: trollName(), minutes: 10, reason: "x".repeat(201) }, "reason"],
      [{ channel, username: trollName(), minutes: 10, reason: "line\nbreak" }, "reason"],
    ] as const;
    for (const [input, field] of cases) {
      const error = await trpcError(creator.caller.moderation.timeout(input as never));
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.message).toContain(field);
    }
    expect(await entries()).toEqual([]);
  });

  it("a moderator may not touch a blocked user, the creator or a site admin (FORBIDDEN), and nothing is logged", async () => {
    const blocked = await kit.signUp({ username: uniqueName("blocked") });
    await creator.caller.moderation.block({ channel, username: blocked.user.username! });
    await kit.db.delete(moderationLog);
    for (const username of [blocked.user.username!, channel, admin.user.username!]) {
      const timeout = await trpcError(mod.caller.moderation.timeout({ channel, username, minutes: 10, reason: "no" }));
      expect(timeout.code).toBe("FORBIDDEN");
      expect((await trpcError(mod.caller.moderation.ban({ channel, username }))).code).toBe("FORBIDDEN");
      expect((await trpcError(mod.caller.moderation.unban({ channel, username }))).code).toBe("FORBIDDEN");
    }
    expect(await entries()).toEqual([]);
  });

  it("onChange brings each new entry to the creator and every moderator as it happens, once and in order", async () => {
    const streamId = (await creator.caller.stream.mine())!.id;
    const watch = (who: SignedUp) => subscribe<ModerationEntry>(kit, who.headers, (caller) => caller.moderation.onChange({ channel }));
    const own = watch(creator);
    const team = watch(mod);
    await waitFor(() => kit.services.moderation.listenerCount(streamId) >= 2, "both subscriptions");
    await mod.caller.moderation.timeout({ channel, username: trollName(), minutes: 10, reason: "caps" });
    await creator.caller.moderation.ban({ channel, username: trollName() });
    for (const screen of [own, team]) {
      await screen.next((e) => e.action === "ban", "the ban");
      expect(screen.received.map((e) => [e.actor, e.action, e.minutes ?? null, e.reason ?? null])).toEqual([
        [mod.user.username, "timeout", 10, "caps"],
        [channel, "ban", null, null],
      ]);
    }
    await own.stop();
    await team.stop();
  });

  it("onChange resumes after lastEventId, catches up after the bus was deaf, and refuses outsiders", async () => {
    await creator.caller.moderation.timeout({ channel, username: trollName(), minutes: 1 });
    const [seen] = await entries();
    await creator.caller.moderation.timeout({ channel, username: trollName(), minutes: 10 });
    await creator.caller.moderation.timeout({ channel, username: trollName(), minutes: 60 });
    const resumed = subscribe<ModerationEntry>(kit, creator.headers, (caller) =>
      caller.moderation.onChange({ channel, lastEventId: String(seen!.id) }),
    );
    await resumed.next((e) => e.minutes === 60, "the missed entries");
    expect(resumed.received.map((e) => e.minutes)).toEqual([10, 60]);

    await kit.services.moderation.stop(); // deaf: this NOTIFY is lost
    await creator.caller.moderation.timeout({ channel, username: trollName(), minutes: 1440 });
    await kit.services.moderation.start();
    kit.services.moderation.resync();
    await resumed.next((e) => e.minutes === 1440, "the entry missed while deaf");
    await creator.caller.moderation.unban({ channel, username: trollName() });
    await resumed.next((e) => e.action === "unban", "live again");
    expect(resumed.received.map((e) => e.minutes ?? e.action)).toEqual([10, 60, 1440, "unban"]);
    await resumed.stop();

    for (const [who, code] of [
      [stranger, "FORBIDDEN"],
      [troll, "FORBIDDEN"],
    ] as const) {
      const refused = subscribe<ModerationEntry>(kit, who.headers, (caller) => caller.moderation.onChange({ channel }));
      await expect(refused.ended).rejects.toMatchObject({ code });
    }
  });

  it("a moderator's onChange ends once they are removed from the team", async () => {
    const streamId = (await creator.caller.stream.mine())!.id;
    const team = subscribe<ModerationEntry>(kit, mod.headers, (caller) => caller.moderation.onChange({ channel }));
    await waitFor(() => kit.services.moderation.listenerCount(streamId) >= 1, "the subscription");
    await creator.caller.moderation.removeModerator({ channel, username: mod.user.username! });
    await team.ended;
    expect(team.received.map((e) => e.action)).toEqual(["moderator_removed"]);
  });
});
