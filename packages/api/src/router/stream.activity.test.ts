import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActivityEvent } from "../services/audience/activity";
import { createTestKit, trpcError, uniqueName, type SignedUp, type TestKit } from "../test/helpers";
import { subscribe, waitFor } from "../test/subscribe";

describe("stream.onActivity: the creator's follows and gifts", () => {
  let kit: TestKit;
  let creator: SignedUp;
  let other: SignedUp;
  let fan: SignedUp;
  let latecomer: SignedUp;

  beforeAll(async () => {
    kit = await createTestKit();
    creator = await kit.makeCreator(uniqueName("star"));
    other = await kit.makeCreator(uniqueName("other"));
    fan = await kit.signUp({ username: uniqueName("fan") });
    latecomer = await kit.signUp({ username: uniqueName("late") });
    await creator.caller.stream.goLive();
    await fan.caller.follow.follow({ username: creator.user.username! });
  });
  afterAll(() => kit?.close());

  it("gives the latest on connect, then follows and gifts as they happen; nothing of another channel", async () => {
    const studio = subscribe<ActivityEvent>(kit, creator.headers, (caller) => caller.stream.onActivity());
    const earlier = await studio.next((e) => e.type === "follow" && e.username === fan.user.username, "the earlier follow");
    expect(earlier.recent).toBe(true);
    await waitFor(() => kit.services.activity.listenerCount(creator.user.id) > 0, "the studio's subscription");

    await latecomer.caller.follow.follow({ username: other.user.username! }); // another channel
    await latecomer.caller.follow.follow({ username: creator.user.username! });
    await fan.caller.gift.send({ username: creator.user.username!, giftId: "heart", idempotencyKey: "activity-gift-1", message: "gg" });
    const gift = await studio.next((e) => e.type === "gift", "the gift");
    expect(gift).toMatchObject({ type: "gift", username: fan.user.username, giftName: "Heart", price: 10, message: "gg" });
    expect(gift.at).toBeInstanceOf(Date);
    expect(gift.recent).toBeUndefined();
    expect(studio.received.map((e) => `${e.type}:${e.username}`)).toEqual([
      `follow:${fan.user.username}`,
      `follow:${latecomer.user.username}`,
      `gift:${fan.user.username}`,
    ]);
    await studio.stop();
  });

  it("after the bus was deaf, every follow it missed comes once and in order: more than the few shown on connecting", async () => {
    const studio = subscribe<ActivityEvent>(kit, creator.headers, (caller) => caller.stream.onActivity());
    await studio.next((e) => e.type === "gift", "the latest on connecting");
    await waitFor(() => kit.services.activity.listenerCount(creator.user.id) > 0, "the studio's subscription");
    const shown = studio.received.length;
    const crowd = await Promise.all(Array.from({ length: 10 }, () => kit.signUp({ username: uniqueName("crowd") })));
    await kit.services.activity.stop(); // deaf: these follows' NOTIFYs are lost
    for (const member of crowd) await member.caller.follow.follow({ username: creator.user.username! });
    await kit.services.activity.start();
    kit.services.activity.resync(); // listening again
    await waitFor(() => studio.received.length >= shown + crowd.length, "the missed follows");
    const missed = studio.received.slice(shown);
    expect(missed.map((e) => `${e.type}:${e.username}`)).toEqual(crowd.map((member) => `follow:${member.user.username}`));
    expect(missed.every((e) => e.recent === undefined)).toBe(true);
    await latecomer.caller.gift.send({ username: creator.user.username!, giftId: "heart", idempotencyKey: "activity-gift-2" });
    await studio.next((e) => e.type === "gift" && e.username === latecomer.user.username, "a gift heard live again");
    expect(studio.received).toHaveLength(shown + crowd.length + 1);
    await studio.stop();
  });

  it("is the creator's own: a viewer is FORBIDDEN, a guest UNAUTHORIZED", async () => {
    const viewer = subscribe<ActivityEvent>(kit, fan.headers, (caller) => caller.stream.onActivity());
    expect(
      (await viewer.ended.then(
        () => null,
        (error: unknown) => error,
      )) as { code?: string },
    ).toMatchObject({ code: "FORBIDDEN" });
    expect((await trpcError(kit.anonymous.stream.onActivity())).code).toBe("UNAUTHORIZED");
  });
});
