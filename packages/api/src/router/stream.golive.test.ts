import { TokenVerifier } from "livekit-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, isNull } from "drizzle-orm";
import { broadcast } from "@onair/db";
import { TOKEN_TTL_SECONDS } from "../services/livekit";
import { createTestKit, TEST_LIVEKIT, trpcError, uniqueName, type SignedUp, type TestKit } from "../test/helpers";

const verifier = new TokenVerifier(TEST_LIVEKIT.apiKey, TEST_LIVEKIT.apiSecret);

describe("going live: stream.goLive / end / token / heartbeat", () => {
  let kit: TestKit;
  let creator: SignedUp;
  let other: SignedUp;
  let viewer: SignedUp;
  let admin: SignedUp;

  beforeAll(async () => {
    kit = await createTestKit();
    creator = await kit.makeCreator(uniqueName("star"));
    other = await kit.makeCreator(uniqueName("rival"));
    viewer = await kit.signUp({ username: uniqueName("fan") });
    admin = await kit.makeAdmin();
  });
  afterAll(() => kit?.close());

  const openBroadcasts = (streamId: string) =>
    kit.db
      .select()
      .from(broadcast)
      .where(and(eq(broadcast.streamId, streamId), isNull(broadcast.endedAt)));

  it("goLive returns a publisher token with exactly the contract's grants, valid ≤ 15 min", async () => {
    const live = await creator.caller.stream.goLive({ title: "First show" });
    expect(live.roomName).toBe(`broadcast-${live.broadcastId}`);
    expect(live.identity).toBe(creator.user.id);
    expect(live.wsUrl).toBe(TEST_LIVEKIT.url);
    expect(live.stream).toMatchObject({ isLive: true, title: "First show", username: creator.user.username });
    const claims = await verifier.verify(live.token);
    expect(claims.sub).toBe(creator.user.id);
    expect(claims.video).toEqual({
      roomJoin: true,
      room: live.roomName,
      canPublish: true,
      canPublishSources: ["camera", "microphone", "screen_share", "screen_share_audio"],
      canSubscribe: true,
      canPublishData: false,
    });
    const lifetime = (claims.exp ?? 0) - (claims.nbf ?? 0);
    expect(lifetime).toBeGreaterThan(0);
    expect(lifetime).toBeLessThanOrEqual(TOKEN_TTL_SECONDS);
  });

  it("goLive twice (even concurrently) is one broadcast with fresh tokens", async () => {
    const [a, b] = await Promise.all([creator.caller.stream.goLive(), creator.caller.stream.goLive()]);
    expect(a.broadcastId).toBe(b.broadcastId);
    expect(await openBroadcasts(a.stream.id)).toHaveLength(1);
    const c = await creator.caller.stream.goLive();
    expect(c.broadcastId).toBe(a.broadcastId);
  });

  it("stream.token gives anyone a hidden, subscribe-only token that never shares the creator's identity", async () => {
    const username = creator.user.username!;
    for (const caller of [kit.anonymous, viewer.caller, creator.caller, admin.caller]) {
      const grant = await caller.stream.token({ username: username.toUpperCase() });
      const claims = await verifier.verify(grant.token);
      expect(claims.video).toEqual({
        roomJoin: true,
        room: grant.roomName,
        canSubscribe: true,
        hidden: true,
        canPublish: false,
        canPublishData: false,
      });
      expect(grant.identity).not.toBe(creator.user.id);
      expect(claims.sub).toBe(grant.identity);
      expect((claims.exp ?? 0) - (claims.nbf ?? 0)).toBeLessThanOrEqual(TOKEN_TTL_SECONDS);
    }
    const guest = await kit.anonymous.stream.token({ username });
    expect(guest.identity).toMatch(/^guest-/);
    expect(guest.canChat).toBe(false);
    const signedIn = await viewer.caller.stream.token({ username });
    expect(signedIn.identity).toBe(`viewer-${viewer.user.id}`);
    expect(signedIn.canChat).toBe(true);
    const own = await creator.caller.stream.token({ username });
    expect(own.identity).toBe(`viewer-${creator.user.id}`);
  });

  it("stream.token says clearly when the creator is offline, and NOT_FOUND for an unknown name", async () => {
    const offline = await trpcError(viewer.caller.stream.token({ username: other.user.username! }));
    expect(offline.code).toBe("PRECONDITION_FAILED");
    expect(offline.message).toContain("offline");
    expect((await trpcError(kit.anonymous.stream.token({ username: "nobody_at_all" }))).code).toBe("NOT_FOUND");
    expect((await trpcError(kit.anonymous.stream.token({ username: "bad name!" }))).code).toBe("BAD_REQUEST");
  });

  it("refuses goLive, end, heartbeat and leave to every role but an approved creator", async () => {
    const pending = await kit.signUp({ username: uniqueName("pend") });
    await pending.caller.creator.requestApproval();
    const cases = [
      [kit.anonymous, "UNAUTHORIZED"],
      [viewer.caller, "FORBIDDEN"],
      [pending.caller, "FORBIDDEN"],
      [admin.caller, "FORBIDDEN"],
    ] as const;
    for (const [caller, code] of cases) {
      expect((await trpcError(caller.stream.goLive())).code).toBe(code);
      expect((await trpcError(caller.stream.end())).code).toBe(code);
      expect((await trpcError(caller.stream.heartbeat())).code).toBe(code);
      expect((await trpcError(caller.stream.leave())).code).toBe(code);
    }
    expect((await trpcError(creator.caller.stream.goLive({ title: "" }))).message).toContain("title");
  });

  it("another creator's end only ends their own (absent) broadcast", async () => {
    const before = await kit.anonymous.stream.byUsername({ username: creator.user.username! });
    const result = await other.caller.stream.end();
    expect(result.stream.username).toBe(other.user.username);
    const after = await kit.anonymous.stream.byUsername({ username: creator.user.username! });
    expect(before.isLive).toBe(true);
    expect(after.isLive).toBe(true);
  });

  it("heartbeat keeps the broadcast; end closes it, deletes the LiveKit room and answers offline after", async () => {
    expect(await creator.caller.stream.heartbeat()).toEqual({ isLive: true });
    const { roomName } = await creator.caller.stream.goLive();
    const ended = await creator.caller.stream.end();
    expect(ended.stream.isLive).toBe(false);
    expect(ended.stream.liveSince).toBeNull();
    const [row] = await kit.db.select().from(broadcast).where(eq(broadcast.roomName, roomName));
    expect(row?.endReason).toBe("creator");
    expect(row?.endedAt).toBeInstanceOf(Date);
    const deletes = kit.livekitDouble.calls.filter((call) => call.method === "DeleteRoom");
    expect(deletes.map((call) => call.body.room)).toContain(roomName);
    expect(kit.livekitDouble.refused).toEqual([]);
    expect(await creator.caller.stream.heartbeat()).toEqual({ isLive: false });
    expect((await trpcError(viewer.caller.stream.token({ username: creator.user.username! }))).code).toBe("PRECONDITION_FAILED");
  });

  it("a new broadcast gets a new room; admins can end any channel", async () => {
    const first = await other.caller.stream.goLive();
    await other.caller.stream.end();
    const second = await other.caller.stream.goLive();
    expect(second.roomName).not.toBe(first.roomName);
    expect((await trpcError(viewer.caller.admin.endStream({ username: other.user.username! }))).code).toBe("FORBIDDEN");
    expect(await admin.caller.admin.endStream({ username: other.user.username! })).toEqual({ ended: true });
    const [row] = await kit.db.select().from(broadcast).where(eq(broadcast.id, second.broadcastId));
    expect(row?.endReason).toBe("admin");
  });

  it("changing the title while live updates LiveKit's room metadata", async () => {
    const live = await creator.caller.stream.goLive();
    await creator.caller.stream.upsert({ title: "Retitled live" });
    const update = kit.livekitDouble.calls.find((call) => call.method === "UpdateRoomMetadata" && call.body.room === live.roomName);
    expect(update?.body.metadata).toBe(JSON.stringify({ title: "Retitled live" }));
    expect(update?.grants.video).toMatchObject({ roomAdmin: true, room: live.roomName });
    await creator.caller.stream.end();
  });
});
