import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatEvent } from "../services/chat/chat-bus";
import { RateLimiter } from "../services/shared/rate-limit";
import { REACTIONS_PER_SECOND, type ReactionsEvent } from "../services/chat/reactions";
import { clientShape, createTestKit, trpcError, uniqueName, type SignedUp, type TestKit } from "../test/helpers";
import { subscribe, waitFor } from "../test/subscribe";

describe("chat.react: reactions over everyone's player, counted", () => {
  let kit: TestKit;
  let creator: SignedUp;
  let viewer: SignedUp;
  let channel: string;
  let streamId: string;

  beforeAll(async () => {
    kit = await createTestKit();
    creator = await kit.makeCreator(uniqueName("host"));
    channel = creator.user.username!;
    streamId = (await creator.caller.stream.mine())!.id;
    viewer = await kit.signUp({ username: uniqueName("fan") });
  });
  afterAll(() => kit?.close());

  it("reaches every subscriber (guests too) as counts, not one event per click", async () => {
    const guest = subscribe<ChatEvent>(kit, undefined, (caller) => caller.chat.onMessage({ username: channel }));
    await waitFor(() => kit.services.chat.listenerCount(streamId) > 0, "the guest's subscription");
    const sent = await Promise.all([
      viewer.caller.chat.react({ username: channel, reaction: "heart" }),
      viewer.caller.chat.react({ username: channel, reaction: "heart" }),
      viewer.caller.chat.react({ username: channel, reaction: "fire" }),
      creator.caller.chat.react({ username: channel, reaction: "heart" }),
    ]);
    expect(sent).toEqual(Array(4).fill({ ok: true }));
    const reactions = () => guest.received.filter((e): e is ReactionsEvent => e.type === "reactions");
    const total = (name: "heart" | "fire") => reactions().reduce((sum, e) => sum + (e.counts[name] ?? 0), 0);
    await waitFor(() => total("heart") === 3 && total("fire") === 1, "3 hearts and a fire");
    // (One event per window, not per click: services/chat/reactions.test.ts, on a clock it controls.)
    expect(guest.received.some((e) => e.type === "message")).toBe(false); // nothing stored as chat
    await guest.stop();
  });

  it(`at most ${REACTIONS_PER_SECOND} a second per user: TOO_MANY_REQUESTS with the wait`, async () => {
    let now = 1_000_000;
    kit.services.limits.react = new RateLimiter(REACTIONS_PER_SECOND, 1000, () => now);
    for (let i = 0; i < REACTIONS_PER_SECOND; i++) await viewer.caller.chat.react({ username: channel, reaction: "clap" });
    const error = await trpcError(viewer.caller.chat.react({ username: channel, reaction: "clap" }));
    expect(error.code).toBe("TOO_MANY_REQUESTS");
    expect(clientShape(error).data.retryAfterSeconds).toBe(1);
    expect(await creator.caller.chat.react({ username: channel, reaction: "clap" })).toEqual({ ok: true }); // per user
    now += 1001;
    expect(await viewer.caller.chat.react({ username: channel, reaction: "clap" })).toEqual({ ok: true });
  });

  it("refused where the user may not chat, to guests, and for an unknown reaction", async () => {
    await creator.caller.moderation.ban({ channel, username: viewer.user.username! });
    const banned = await trpcError(viewer.caller.chat.react({ username: channel, reaction: "wow" }));
    expect([banned.code, banned.message]).toEqual(["FORBIDDEN", "You are banned from this chat"]);
    await creator.caller.moderation.unban({ channel, username: viewer.user.username! });
    await creator.caller.stream.updateChatSettings({ isChatEnabled: false });
    expect((await trpcError(viewer.caller.chat.react({ username: channel, reaction: "wow" }))).code).toBe("FORBIDDEN");
    await creator.caller.stream.updateChatSettings({ isChatEnabled: true });
    expect((await trpcError(kit.anonymous.chat.react({ username: channel, reaction: "wow" }))).code).toBe("UNAUTHORIZED");
    const bad = await trpcError(viewer.caller.chat.react({ username: channel, reaction: "poop" as "wow" }));
    expect(bad.code).toBe("BAD_REQUEST");
    expect(bad.message).toMatch(/reaction/);
    expect((await trpcError(viewer.caller.chat.react({ username: "nobody_here_x", reaction: "wow" }))).code).toBe("NOT_FOUND");
  });
});
