import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { broadcast, creatorApplication, ingress, type Database } from "@onair/db";
import { testDatabaseUrl, until } from "@onair/db/testing";
import { openBroadcast } from "../services/live/broadcasts";
import { mayGoLive } from "../services/live/creators";
import { broadcastIdOf } from "../services/ingress/ingress";
import { applyLiveKitWebhook } from "../services/ingress/webhooks";
import { createTestKit, trpcError, uniqueName, type SignedUp, type TestKit } from "../test/helpers";
import { webhookEvent } from "../test/webhooks";

/** Sessions of this database waiting for a row lock now (PostgreSQL only). */
async function lockWaits(db: Database): Promise<number> {
  const [row] = await db
    .select({ waits: sql<number>`count(*)::int` })
    .from(sql`pg_stat_activity`)
    .where(sql`datname = current_database() and wait_event_type = 'Lock'`);
  return row?.waits ?? 0;
}

/** Issue #21 N4: a creator whose approval is withdrawn must not stay on the air, nor go live again through OBS. */
describe("withdrawing a creator's approval (admin.rejectCreator) takes them off the air", () => {
  let kit: TestKit;
  let admin: SignedUp;

  beforeAll(async () => {
    kit = await createTestKit();
    admin = await kit.makeAdmin();
  });
  afterAll(() => kit?.close());

  const ingressOf = async (userId: string) => (await kit.db.select().from(ingress).where(eq(ingress.userId, userId)))[0];
  const broadcastsOf = (streamId: string) => kit.db.select().from(broadcast).where(eq(broadcast.streamId, streamId));
  const started = (info: { ingressId: string; roomName: string }) =>
    applyLiveKitWebhook(kit.services, webhookEvent({ event: "ingress_started", ingress: info }));
  const view = (creator: SignedUp) => kit.anonymous.stream.byUsername({ username: creator.user.username! });
  /** An approved creator with an RTMP key. */
  async function obsCreator() {
    const creator = await kit.makeCreator(uniqueName("obs"));
    await creator.caller.ingress.create({ kind: "rtmp" });
    return { creator, own: (await ingressOf(creator.user.id))! };
  }

  it("live from OBS: the ingress is deleted at LiveKit (its key stops), the broadcast ends and everyone in its room is disconnected", async () => {
    const { creator, own } = await obsCreator();
    expect(await started(own)).toBe("applied");
    kit.livekitDouble.participants.set(own.roomName, [creator.user.id, "viewer-fan"]);

    const result = await admin.caller.admin.rejectCreator({ username: creator.user.username! });
    const deleted = kit.livekitDouble.calls.find((c) => c.method === "DeleteIngress" && c.body.ingressId === own.ingressId);
    expect(deleted?.grants.video?.ingressAdmin).toBe(true);
    expect(kit.livekitDouble.ingresses.has(own.ingressId)).toBe(false);
    expect(kit.livekitDouble.calls.some((c) => c.method === "DeleteRoom" && c.body.room === own.roomName)).toBe(true);
    expect(kit.livekitDouble.participants.has(own.roomName)).toBe(false);
    const streamId = (await view(creator)).id;
    expect((await broadcastsOf(streamId)).map((b) => [b.mode, b.endReason])).toEqual([["ingress", "admin"]]);
    expect(await view(creator)).toMatchObject({ isLive: false, isPublishing: false });
    expect(await ingressOf(creator.user.id)).toBeUndefined();
    expect((await trpcError(creator.caller.ingress.create({ kind: "rtmp" }))).code).toBe("FORBIDDEN");
    expect(result).toEqual({ status: "rejected", ended: true, ingress: "deleted" });
  });

  it("live from the browser: the broadcast ends, viewers are disconnected, and goLive is refused", async () => {
    const creator = await kit.makeCreator(uniqueName("cam"));
    const live = await creator.caller.stream.goLive();
    kit.livekitDouble.participants.set(live.roomName, [creator.user.id, "viewer-fan"]);

    const result = await admin.caller.admin.rejectCreator({ username: creator.user.username! });
    expect(kit.livekitDouble.calls.some((c) => c.method === "DeleteRoom" && c.body.room === live.roomName)).toBe(true);
    expect(kit.livekitDouble.participants.has(live.roomName)).toBe(false);
    expect((await broadcastsOf(live.stream.id)).map((b) => b.endReason)).toEqual(["admin"]);
    expect((await view(creator)).isLive).toBe(false);
    expect((await trpcError(kit.anonymous.stream.token({ username: creator.user.username! }))).code).toBe("PRECONDITION_FAILED");
    expect((await trpcError(creator.caller.stream.goLive())).code).toBe("FORBIDDEN");
    expect(result).toEqual({ status: "rejected", ended: true, ingress: "none" });
  });

  it("when LiveKit cannot delete the ingress, the withdrawal still holds: OBS connecting opens nothing and its participant is removed", async () => {
    const { creator, own } = await obsCreator();
    kit.livekitDouble.ingressFailure = { status: 503, code: "unavailable", msg: "no ingress service" };
    const result = await admin.caller.admin.rejectCreator({ username: creator.user.username! }).finally(() => {
      kit.livekitDouble.ingressFailure = null;
    });
    expect(await ingressOf(creator.user.id)).toMatchObject({ ingressId: own.ingressId }); // still known, so its events are recognised

    kit.livekitDouble.participants.set(own.roomName, [creator.user.id]);
    expect(await started(own)).toBe("refused");
    const removed = kit.livekitDouble.calls.find((c) => c.method === "RemoveParticipant" && c.body.room === own.roomName);
    expect(removed?.body.identity).toBe(creator.user.id);
    expect(removed?.grants.video).toMatchObject({ roomAdmin: true, room: own.roomName });
    expect(kit.livekitDouble.participants.get(own.roomName)).toEqual([]);
    expect(await broadcastsOf((await view(creator)).id)).toEqual([]);
    expect((await view(creator)).isLive).toBe(false);
    expect(result).toEqual({ status: "rejected", ended: false, ingress: "kept" });

    // Asking again finishes the job; approved again, a new key goes live as before.
    expect((await admin.caller.admin.rejectCreator({ username: creator.user.username! })).ingress).toBe("deleted");
    expect(kit.livekitDouble.ingresses.has(own.ingressId)).toBe(false);
    await admin.caller.admin.approveCreator({ username: creator.user.username! });
    await creator.caller.ingress.create({ kind: "rtmp" });
    expect(await started((await ingressOf(creator.user.id))!)).toBe("applied");
    expect((await view(creator)).isLive).toBe(true);
  });

  it("a withdrawal racing OBS connecting never leaves the creator on the air", async () => {
    for (let round = 0; round < 4; round += 1) {
      const { creator, own } = await obsCreator();
      const [rejected, outcome] = await Promise.all([admin.caller.admin.rejectCreator({ username: creator.user.username! }), started(own)]);
      expect(rejected.status).toBe("rejected");
      // Opened then ended by the withdrawal, refused by its lock, or too late: the ingress already deleted, unknown.
      expect(["applied", "refused", "ignored"]).toContain(outcome);
      if (outcome === "ignored") expect(await kit.db.select().from(ingress).where(eq(ingress.userId, creator.user.id))).toEqual([]);
      expect((await view(creator)).isLive, `round ${round}: ${outcome}`).toBe(false);
      expect((await broadcastsOf((await view(creator)).id)).filter((b) => !b.endedAt)).toEqual([]);
    }
  });

  it("ingress_started holds the application until it commits: a withdrawal in that instant waits, then ends what it opened", async () => {
    const { creator, own } = await obsCreator();
    const streamId = (await view(creator)).id;
    let rejecting: ReturnType<typeof admin.caller.admin.rejectCreator> | undefined;
    await kit.db.transaction(async (tx) => {
      // What the webhook does: the check, then the broadcast; the withdrawal starts between the two.
      expect(await mayGoLive(tx, creator.user.id, { lock: true })).toBe(true);
      rejecting = admin.caller.admin.rejectCreator({ username: creator.user.username! });
      // On PostgreSQL, see it wait for the lock (PGlite runs one transaction at a time: it waits anyway),
      // within the server's 10 s idle-in-transaction limit, so a failure names what went wrong.
      if (testDatabaseUrl) {
        const waiting = async () => (await lockWaits(kit.db)) > 0;
        await until(waiting, 8_000, () => "for the withdrawal to wait on the webhook's lock on the application");
      }
      await openBroadcast(tx, streamId, creator.user.username!, { id: broadcastIdOf(own.roomName)!, mode: "ingress" });
    });
    expect(await rejecting).toMatchObject({ status: "rejected", ended: true });
    expect((await broadcastsOf(streamId)).map((b) => b.endReason)).toEqual(["admin"]);
    expect((await view(creator)).isLive).toBe(false);
  });

  it("an ingress whose owner is pending again (or never approved) is turned away the same way", async () => {
    const { creator, own } = await obsCreator();
    // As if approval had been withdrawn behind the app's back: only the application's status says who may go live.
    await kit.db.update(creatorApplication).set({ status: "pending" }).where(eq(creatorApplication.userId, creator.user.id));
    kit.livekitDouble.participants.set(own.roomName, [creator.user.id]);
    expect(await started(own)).toBe("refused");
    expect(kit.livekitDouble.participants.get(own.roomName)).toEqual([]);
    expect((await view(creator)).isLive).toBe(false);
  });
});
