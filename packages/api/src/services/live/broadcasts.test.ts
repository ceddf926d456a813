import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { broadcast } from "@onair/db";
import { createTestKit, uniqueName, type SignedUp, type TestKit } from "../../test/helpers";
import { HEARTBEAT_TIMEOUT_SECONDS, LEFT_GRACE_SECONDS, sweepBroadcasts } from "./broadcasts";

describe("the sweeper: a stream never stays live after its creator is gone", () => {
  let kit: TestKit;
  let creator: SignedUp;

  beforeAll(async () => {
    kit = await createTestKit();
    creator = await kit.makeCreator(uniqueName("sweep"));
  });
  afterAll(() => kit?.close());

  const age = (id: string, column: "last_heartbeat_at" | "creator_left_at", seconds: number) =>
    kit.db.execute(sql`update broadcast set ${sql.raw(column)} = now() - make_interval(secs => ${seconds}) where id = ${id}`);
  const row = async (id: string) => (await kit.db.select().from(broadcast).where(eq(broadcast.id, id)))[0]!;
  const isLive = async () => (await kit.anonymous.stream.byUsername({ username: creator.user.username! })).isLive;

  it("leaves a broadcast with a recent heartbeat alone", async () => {
    const live = await creator.caller.stream.goLive();
    await age(live.broadcastId, "last_heartbeat_at", HEARTBEAT_TIMEOUT_SECONDS - 10);
    expect(await sweepBroadcasts(kit.services)).toEqual([]);
    expect(await isLive()).toBe(true);
  });

  it("ends a broadcast whose heartbeat is older than 45 s, deletes its room, once across racing sweepers", async () => {
    const live = await creator.caller.stream.goLive();
    await age(live.broadcastId, "last_heartbeat_at", HEARTBEAT_TIMEOUT_SECONDS + 1);
    const results = await Promise.all([sweepBroadcasts(kit.services), sweepBroadcasts(kit.services)]);
    expect(results.flat().map((ended) => ended.id)).toEqual([live.broadcastId]);
    expect((await row(live.broadcastId)).endReason).toBe("timeout");
    expect(await isLive()).toBe(false);
    const deletes = kit.livekitDouble.calls.filter((c) => c.method === "DeleteRoom" && c.body.room === live.roomName);
    expect(deletes).toHaveLength(1);
  });

  it("a goodbye beacon ends the broadcast after the grace; a reload within the grace resumes it", async () => {
    const live = await creator.caller.stream.goLive();
    expect(await creator.caller.stream.leave()).toEqual({ isLive: true, endsInSeconds: LEFT_GRACE_SECONDS });
    expect(await sweepBroadcasts(kit.services)).toEqual([]); // within the grace
    const resumed = await creator.caller.stream.goLive(); // the page reloaded
    expect(resumed.broadcastId).toBe(live.broadcastId);
    expect((await row(live.broadcastId)).creatorLeftAt).toBeNull();

    await creator.caller.stream.leave();
    await age(live.broadcastId, "creator_left_at", LEFT_GRACE_SECONDS + 1);
    const ended = await sweepBroadcasts(kit.services);
    expect(ended.map((e) => e.id)).toEqual([live.broadcastId]);
    expect((await row(live.broadcastId)).endReason).toBe("left");
    expect(await isLive()).toBe(false);
  });

  it("a heartbeat after the beacon (the page stayed) cancels the pending end", async () => {
    const live = await creator.caller.stream.goLive();
    await creator.caller.stream.leave();
    await creator.caller.stream.heartbeat();
    await age(live.broadcastId, "last_heartbeat_at", 1);
    expect(await sweepBroadcasts(kit.services)).toEqual([]);
    expect(await isLive()).toBe(true);
    await creator.caller.stream.end();
  });

  it("ending still works when LiveKit's API is unreachable (logged, not thrown)", async () => {
    const warnings: object[] = [];
    const { createLiveKitRooms } = await import("../livekit");
    const rooms = createLiveKitRooms(
      { ...kit.livekit, apiUrl: "http://127.0.0.1:9" },
      { info() {}, error() {}, warn: (obj) => warnings.push(obj) },
    );
    expect(await rooms.deleteRoom("broadcast-x")).toBe(false);
    expect(await rooms.listParticipants("broadcast-x")).toBeNull();
    expect(warnings).toHaveLength(2);
    expect(JSON.stringify(warnings)).not.toContain(kit.livekit.apiSecret);

    const live = await creator.caller.stream.goLive();
    const services = { ...kit.services, rooms };
    const { endAndCloseRooms } = await import("./broadcasts");
    const ended = await endAndCloseRooms(services, eq(broadcast.id, live.broadcastId), "creator");
    expect(ended).toHaveLength(1);
    expect(await isLive()).toBe(false);
  });
});
