import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { broadcast, livekitEvent } from "@onair/db";
import { createTestKit, uniqueName, type SignedUp, type TestKit } from "../../test/helpers";
import { webhookEvent } from "../../test/webhooks";
import { LEFT_GRACE_SECONDS, reconcileViewerCounts, sweepBroadcasts } from "../live/broadcasts";
import { applyLiveKitWebhook } from "./webhooks";

describe("LiveKit webhooks, applied once and only to the open broadcast's room", () => {
  let kit: TestKit;
  let creator: SignedUp;

  beforeAll(async () => {
    kit = await createTestKit();
    creator = await kit.makeCreator(uniqueName("hook"));
  });
  afterAll(() => kit?.close());

  const view = () => kit.anonymous.stream.byUsername({ username: creator.user.username! });
  const row = async (id: string) => (await kit.db.select().from(broadcast).where(eq(broadcast.id, id)))[0]!;

  it("track_published by the creator marks media as flowing; by anyone else changes nothing", async () => {
    const live = await creator.caller.stream.goLive();
    expect((await view()).isPublishing).toBe(false);
    const other = webhookEvent({ event: "track_published", room: live.roomName, identity: "viewer-x" });
    expect(await applyLiveKitWebhook(kit.services, other)).toBe("ignored");
    expect((await view()).isPublishing).toBe(false);
    const mine = webhookEvent({ event: "track_published", room: live.roomName, identity: creator.user.id });
    expect(await applyLiveKitWebhook(kit.services, mine)).toBe("applied");
    expect((await view()).isPublishing).toBe(true);
    expect((await view()).isLive).toBe(true);
  });

  it("a replayed event is applied once", async () => {
    const live = await creator.caller.stream.goLive();
    const left = webhookEvent({ event: "participant_left", room: live.roomName, identity: creator.user.id });
    expect(await applyLiveKitWebhook(kit.services, left)).toBe("applied");
    const leftAt = (await row(live.broadcastId)).creatorLeftAt;
    expect(leftAt).toBeInstanceOf(Date);
    await creator.caller.stream.heartbeat(); // back
    expect(await applyLiveKitWebhook(kit.services, left)).toBe("duplicate");
    expect((await row(live.broadcastId)).creatorLeftAt).toBeNull();
    const stored = await kit.db.select().from(livekitEvent).where(eq(livekitEvent.id, left.id));
    expect(stored).toHaveLength(1);
  });

  it("the creator leaving LiveKit ends the broadcast after the grace; rejoining cancels it", async () => {
    const live = await creator.caller.stream.goLive();
    const room = live.roomName;
    await applyLiveKitWebhook(kit.services, webhookEvent({ event: "participant_left", room, identity: creator.user.id }));
    await applyLiveKitWebhook(kit.services, webhookEvent({ event: "participant_joined", room, identity: creator.user.id }));
    expect((await row(live.broadcastId)).creatorLeftAt).toBeNull();

    await applyLiveKitWebhook(kit.services, webhookEvent({ event: "participant_left", room, identity: creator.user.id }));
    await kit.db
      .update(broadcast)
      .set({ creatorLeftAt: new Date(Date.now() - (LEFT_GRACE_SECONDS + 5) * 1000) })
      .where(eq(broadcast.id, live.broadcastId));
    await sweepBroadcasts(kit.services);
    expect((await row(live.broadcastId)).endReason).toBe("left");
    expect((await view()).isLive).toBe(false);
  });

  it("viewers joining and leaving only move the viewer count (never below 0); the peak is kept", async () => {
    const live = await creator.caller.stream.goLive();
    const room = live.roomName;
    const send = (event: string, identity: string) => applyLiveKitWebhook(kit.services, webhookEvent({ event, room, identity }));
    expect(await send("participant_joined", "viewer-a")).toBe("applied");
    expect(await send("participant_joined", "guest-b")).toBe("applied");
    expect(await send("participant_joined", "guest-c")).toBe("applied");
    expect((await view()).viewerCount).toBe(3);
    await send("participant_left", "guest-b");
    await send("participant_left", "guest-c");
    await send("participant_left", "viewer-a");
    await send("participant_left", "viewer-ghost");
    expect((await view()).viewerCount).toBe(0);
    expect((await row(live.broadcastId)).peakViewers).toBe(3);
    for (const event of ["track_unpublished", "egress_started"]) {
      expect(await send(event, "viewer-someone")).toBe("ignored");
    }
    expect((await view()).isLive).toBe(true);
    expect((await row(live.broadcastId)).creatorLeftAt).toBeNull();
  });

  it("viewer counts are reconciled with LiveKit's participant list, without the creator", async () => {
    const live = await creator.caller.stream.goLive();
    kit.livekitDouble.participants.set(live.roomName, [creator.user.id, "viewer-1", "guest-2"]);
    expect(await reconcileViewerCounts(kit.services)).toBeGreaterThanOrEqual(1);
    expect((await view()).viewerCount).toBe(2);
    const asked = kit.livekitDouble.calls.find((c) => c.method === "ListParticipants" && c.body.room === live.roomName);
    expect(asked?.grants.video).toMatchObject({ roomAdmin: true, room: live.roomName });
    expect(await reconcileViewerCounts(kit.services)).toBe(0);
  });

  it("room_finished ends the broadcast; a stale room's events change nothing", async () => {
    const live = await creator.caller.stream.goLive();
    expect(await applyLiveKitWebhook(kit.services, webhookEvent({ event: "room_finished", room: live.roomName }))).toBe("applied");
    expect((await row(live.broadcastId)).endReason).toBe("room_finished");
    expect((await view()).isLive).toBe(false);

    const next = await creator.caller.stream.goLive();
    for (const event of ["room_finished", "participant_left"]) {
      const stale = webhookEvent({ event, room: live.roomName, identity: creator.user.id });
      expect(await applyLiveKitWebhook(kit.services, stale)).toBe("stale");
    }
    expect((await row(next.broadcastId)).endedAt).toBeNull();
    expect((await row(next.broadcastId)).creatorLeftAt).toBeNull();
    expect((await view()).isLive).toBe(true);
  });
});
