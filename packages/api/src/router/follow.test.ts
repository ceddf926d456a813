import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FOLLOW_CHANGES_PER_MINUTE } from "../services";
import { clientShape, createTestKit, trpcError, uniqueName, type SignedUp, type TestKit } from "../test/helpers";

describe("follows", () => {
  let kit: TestKit;
  let alpha: SignedUp;
  let beta: SignedUp;
  let fan: SignedUp;

  beforeAll(async () => {
    kit = await createTestKit();
    alpha = await kit.makeCreator(uniqueName("alpha"));
    beta = await kit.makeCreator(uniqueName("beta"));
    fan = await kit.signUp({ username: uniqueName("fan") });
  });
  afterAll(() => kit?.close());

  it("follow and unfollow return the follower count; following twice is harmless", async () => {
    const name = alpha.user.username!;
    expect(await fan.caller.follow.follow({ username: name })).toEqual({ following: true, followerCount: 1 });
    expect(await fan.caller.follow.follow({ username: name.toUpperCase() })).toEqual({ following: true, followerCount: 1 });
    expect((await kit.anonymous.stream.byUsername({ username: name })).followerCount).toBe(1);
    expect((await fan.caller.follow.status({ username: name })).following).toBe(true);
    expect(await fan.caller.follow.unfollow({ username: name })).toEqual({ following: false, followerCount: 0 });
    expect(await fan.caller.follow.unfollow({ username: name })).toEqual({ following: false, followerCount: 0 });
    expect((await fan.caller.follow.status({ username: name })).following).toBe(false);
  });

  it("refuses guests, yourself, unknown names and accounts without a channel", async () => {
    expect((await trpcError(kit.anonymous.follow.follow({ username: alpha.user.username! }))).code).toBe("UNAUTHORIZED");
    const self = await trpcError(alpha.caller.follow.follow({ username: alpha.user.username! }));
    expect(self.code).toBe("BAD_REQUEST");
    expect(self.message).toMatch(/yourself/);
    expect((await trpcError(fan.caller.follow.follow({ username: "nobody_like_this" }))).code).toBe("NOT_FOUND");
    expect((await trpcError(alpha.caller.follow.follow({ username: fan.user.username! }))).code).toBe("NOT_FOUND");
  });

  it("the following list puts live channels first", async () => {
    await fan.caller.follow.follow({ username: alpha.user.username! });
    await fan.caller.follow.follow({ username: beta.user.username! });
    await beta.caller.stream.goLive();
    const list = await fan.caller.follow.following();
    expect(list.map((s) => [s.username, s.isLive])).toEqual([
      [beta.user.username, true],
      [alpha.user.username, false],
    ]);
    await beta.caller.stream.end();
    const recent = await kit.anonymous.stream.recent();
    expect(recent.map((s) => s.username)).toEqual([beta.user.username]);
  });

  it("follow changes are limited per user: past the limit TOO_MANY_REQUESTS, and no change is announced", async () => {
    const flooder = await kit.signUp({ username: uniqueName("flood") });
    const name = beta.user.username!;
    for (let i = 0; i < FOLLOW_CHANGES_PER_MINUTE; i++) {
      await (i % 2 === 0 ? flooder.caller.follow.follow({ username: name }) : flooder.caller.follow.unfollow({ username: name }));
    }
    const before = (await kit.anonymous.stream.byUsername({ username: name })).followerCount;
    const error = await trpcError(flooder.caller.follow.follow({ username: name }));
    expect(error.code).toBe("TOO_MANY_REQUESTS");
    expect(clientShape(error).data.retryAfterSeconds).toBeGreaterThan(0);
    expect((await kit.anonymous.stream.byUsername({ username: name })).followerCount).toBe(before);
    // Per user: another account is not held back.
    expect((await fan.caller.follow.follow({ username: name })).following).toBe(true);
  });
});
