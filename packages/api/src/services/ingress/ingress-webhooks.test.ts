import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { broadcast, ingress } from "@onair/db";
import { createTestKit, trpcError, uniqueName, type SignedUp, type TestKit } from "../../test/helpers";
import { webhookEvent } from "../../test/webhooks";
import { HEARTBEAT_TIMEOUT_SECONDS, LEFT_GRACE_SECONDS, reconcileViewerCounts, sweepBroadcasts } from "../live/broadcasts";
import { applyLiveKitWebhook } from "./webhooks";

describe("going live from streaming software: LiveKit's ingress events", () => {
  let kit: TestKit;
  let creator: SignedUp;

  beforeAll(async () => {
    kit = await createTestKit();
    creator = await kit.makeCreator(uniqueName("obs"));
    await creator.caller.ingress.create({ kind: "rtmp" });
  });
  afterAll(() => kit?.close());

  const view = () => kit.anonymous.stream.byUsername({ username: creator.user.username! });
  const own = async () => (await kit.db.select().from(ingress).where(eq(ingress.userId, creator.user.id)))[0]!;
  const row = async (id: string) => (await kit.db.select().from(broadcast).where(eq(broadcast.id, id)))[0]!;
  const send = async (event: string, fields: { room?: string; identity?: string; ingressRoom?: string } = {}) => {
    const { ingressId } = await own();
    const ingressInfo = event.startsWith("ingress_") ? { ingressId, roomName: fields.ingressRoom ?? (await own()).roomName } : undefined;
    return applyLiveKitWebhook(kit.services, webhookEvent({ event, room: fields.room, identity: fields.identity, ingress: ingressInfo }));
  };
  const broadcastIdOf = (roomName: string) => roomName.slice("broadcast-".length);
  /** The sweeper, as if `seconds` had passed since the creator left / last heartbeat. */
  const sweepAfter = async (id: string, seconds: number) => {
    const past = new Date(Date.now() - seconds * 1000);
    await kit.db.update(broadcast).set({ lastHeartbeatAt: past }).where(eq(broadcast.id, id));
    const current = await row(id);
    if (current.creatorLeftAt) await kit.db.update(broadcast).set({ creatorLeftAt: past }).where(eq(broadcast.id, id));
    return sweepBroadcasts(kit.services);
  };

  it("ingress_started opens a broadcast in the ingress's room (mode 'ingress'); its tracks make it publishing", async () => {
    const { roomName } = await own();
    expect(await send("ingress_started")).toBe("applied");
    const live = await view();
    expect(live).toMatchObject({ isLive: true, isPublishing: false, mode: "ingress" });
    expect((await kit.anonymous.stream.token({ username: creator.user.username! })).roomName).toBe(roomName);
    // the ingress's participant has the creator's identity: it is the broadcast's publisher
    expect(await send("track_published", { room: roomName, identity: creator.user.id })).toBe("applied");
    expect(await view()).toMatchObject({ isPublishing: true, mode: "ingress" });
    expect((await kit.anonymous.stream.live()).items.map((item) => item.username)).toContain(creator.user.username);
  });

  it("the stream key is in no other answer: not another user's, not the creator's other procedures'", async () => {
    const { streamKey } = (await creator.caller.ingress.get())!;
    const username = creator.user.username!;
    const other = await kit.makeCreator(uniqueName("rival"));
    const fan = await kit.signUp({ username: uniqueName("fan") });
    await fan.caller.follow.follow({ username });
    await fan.caller.chat.send({ username, text: "hello OBS" });
    const answers: unknown[] = [];
    for (const caller of [kit.anonymous, fan.caller, other.caller, creator.caller]) {
      answers.push(
        await caller.stream.byUsername({ username }),
        await caller.stream.live(),
        await caller.stream.recent(),
        await caller.stream.token({ username }),
        await caller.chat.history({ username }),
        await caller.ingress.available(),
      );
    }
    answers.push(
      await fan.caller.follow.following(),
      await other.caller.ingress.get(),
      await other.caller.stream.mine(),
      await creator.caller.stream.mine(),
      await creator.caller.stream.heartbeat(),
      await creator.caller.account.me(),
      await creator.caller.creator.status(),
      (await trpcError(creator.caller.stream.goLive())).message,
      (await trpcError(fan.caller.ingress.get())).message,
    );
    const text = JSON.stringify(answers);
    expect(text).toContain(username); // the scan saw the channel
    expect(text).not.toContain(streamKey);
  });

  it("while software is live, goLive is a CONFLICT saying OBS is live; the browser's heartbeats and goodbye change nothing", async () => {
    const error = await trpcError(creator.caller.stream.goLive());
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toMatch(/OBS\) is live/);
    expect(await creator.caller.stream.heartbeat()).toEqual({ isLive: true });
    expect((await creator.caller.stream.leave()).isLive).toBe(false);
    const id = broadcastIdOf((await own()).roomName);
    expect((await row(id)).creatorLeftAt).toBeNull();
    // no heartbeats from software: the sweeper does not end it for their absence
    expect(await sweepAfter(id, HEARTBEAT_TIMEOUT_SECONDS + 60)).toEqual([]);
    expect((await view()).isLive).toBe(true);
  });

  it("ingress_ended starts the grace; a quick reconnect resumes the same broadcast", async () => {
    const { roomName } = await own();
    const id = broadcastIdOf(roomName);
    expect(await send("ingress_ended")).toBe("applied");
    expect((await row(id)).creatorLeftAt).toBeInstanceOf(Date);
    expect((await view()).isLive).toBe(true);
    // a heartbeat from the studio page does not cancel software's grace
    await creator.caller.stream.heartbeat();
    expect((await row(id)).creatorLeftAt).toBeInstanceOf(Date);
    expect(await send("ingress_started")).toBe("applied");
    expect((await row(id)).creatorLeftAt).toBeNull();
    expect((await row(id)).endedAt).toBeNull();
    expect((await own()).roomName).toBe(roomName);
  });

  it("past the grace the broadcast ends, its room is closed and the ingress moves to a fresh room", async () => {
    const { roomName } = await own();
    const id = broadcastIdOf(roomName);
    expect(await send("ingress_ended")).toBe("applied");
    const ended = await sweepAfter(id, LEFT_GRACE_SECONDS + 1);
    expect(ended.map((b) => b.id)).toEqual([id]);
    expect((await row(id)).endReason).toBe("left");
    expect(await view()).toMatchObject({ isLive: false, isPublishing: false, mode: "browser" });
    expect(kit.livekitDouble.calls.some((c) => c.method === "DeleteRoom" && c.body.room === roomName)).toBe(true);
    const next = (await own()).roomName;
    expect(next).not.toBe(roomName);
    expect(kit.livekitDouble.ingresses.get((await own()).ingressId)!.roomName).toBe(next);
  });

  it("a late ingress_ended from the older broadcast is ignored by the next one", async () => {
    const oldRoom = (
      await kit.db
        .select()
        .from(broadcast)
        .where(eq(broadcast.streamId, (await view()).id))
    )[0]!.roomName;
    expect(await send("ingress_started")).toBe("applied");
    const id = broadcastIdOf((await own()).roomName);
    expect(await send("ingress_ended", { ingressRoom: oldRoom })).toBe("stale");
    expect(await send("ingress_started", { ingressRoom: oldRoom })).toBe("stale");
    expect((await row(id)).creatorLeftAt).toBeNull();
    expect((await view()).isLive).toBe(true);
  });

  it("stream.end ends a software broadcast and disconnects the ingress; the room moves once software lets go", async () => {
    const { roomName, ingressId } = await own();
    kit.livekitDouble.ingresses.get(ingressId)!.state.status = "ENDPOINT_PUBLISHING";
    const { stream } = await creator.caller.stream.end();
    expect(stream.isLive).toBe(false);
    expect((await row(broadcastIdOf(roomName))).endReason).toBe("creator");
    // deleting the room disconnects everyone in it, the ingress's participant too
    expect(kit.livekitDouble.calls.some((c) => c.method === "DeleteRoom" && c.body.room === roomName)).toBe(true);
    // LiveKit refuses to move an active ingress: it stays until LiveKit says it ended
    expect((await own()).roomName).toBe(roomName);
    expect(await send("ingress_started")).toBe("stale"); // software reconnecting into the ended room: turned away
    kit.livekitDouble.ingresses.get(ingressId)!.state.status = "ENDPOINT_INACTIVE";
    expect(await send("ingress_ended")).toBe("stale");
    expect((await own()).roomName).not.toBe(roomName);
  });

  it("one source at a time: software connecting during a browser broadcast is turned away and the studio learns why", async () => {
    const live = await creator.caller.stream.goLive();
    const { roomName } = await own();
    kit.livekitDouble.participants.set(roomName, [creator.user.id]);
    expect(await send("ingress_started")).toBe("refused");
    const removed = kit.livekitDouble.calls.find((c) => c.method === "RemoveParticipant" && c.body.room === roomName);
    expect(removed?.body.identity).toBe(creator.user.id);
    expect(kit.livekitDouble.participants.get(roomName)).toEqual([]);
    expect((await creator.caller.ingress.get())!.refusedAt).toBeInstanceOf(Date);
    expect(await view()).toMatchObject({ isLive: true, mode: "browser" });
    expect((await row(live.broadcastId)).endedAt).toBeNull();
    // its events for its own (never opened) room change nothing
    expect(await send("ingress_ended")).toBe("stale");
    expect((await creator.caller.stream.goLive()).broadcastId).toBe(live.broadcastId);
    await creator.caller.stream.end();
  });

  it("an unknown ingress, a duplicate event, and events with INGRESS=off change nothing", async () => {
    const stranger = webhookEvent({ event: "ingress_started", ingress: { ingressId: "IN_unknown", roomName: (await own()).roomName } });
    expect(await applyLiveKitWebhook(kit.services, stranger)).toBe("ignored");
    const off = webhookEvent({
      event: "ingress_started",
      ingress: { ingressId: (await own()).ingressId, roomName: (await own()).roomName },
    });
    expect(await applyLiveKitWebhook({ ...kit.services, ingress: null }, off)).toBe("ignored");
    expect(await applyLiveKitWebhook(kit.services, off)).toBe("duplicate");
    expect((await view()).isLive).toBe(false);
  });

  it("resetting the key while software is live ends that broadcast", async () => {
    expect(await send("ingress_started")).toBe("applied");
    expect((await view()).isLive).toBe(true);
    await creator.caller.ingress.create({ kind: "rtmp" });
    expect((await view()).isLive).toBe(false);
  });

  it("ingress_ended and participant_left both lost: LiveKit's participant list shows the software gone, and the broadcast ends after the grace", async () => {
    expect(await send("ingress_started")).toBe("applied");
    const { roomName } = await own();
    const id = broadcastIdOf(roomName);
    const listed = (...identities: string[]) => kit.livekitDouble.participants.set(roomName, identities);
    // Just opened, the software not in the room yet: too early to judge.
    listed("viewer-a");
    await reconcileViewerCounts(kit.services);
    expect((await row(id)).creatorLeftAt).toBeNull();

    await kit.db
      .update(broadcast)
      .set({ startedAt: new Date(Date.now() - (LEFT_GRACE_SECONDS + 5) * 1000) })
      .where(eq(broadcast.id, id));
    listed(creator.user.id, "viewer-a");
    await reconcileViewerCounts(kit.services);
    expect((await row(id)).creatorLeftAt).toBeNull();
    listed("viewer-a");
    await reconcileViewerCounts(kit.services);
    expect((await row(id)).creatorLeftAt).toBeInstanceOf(Date);
    expect(await view()).toMatchObject({ isLive: true, isPublishing: false });
    // Listed again within the grace (its participant_joined lost as well): it stays.
    listed(creator.user.id, "viewer-a");
    await reconcileViewerCounts(kit.services);
    expect((await row(id)).creatorLeftAt).toBeNull();
    expect(await sweepAfter(id, LEFT_GRACE_SECONDS + 1)).toEqual([]);
    // Gone for good: the sweeper ends it once the grace has passed.
    listed("viewer-a");
    await reconcileViewerCounts(kit.services);
    expect((await sweepAfter(id, LEFT_GRACE_SECONDS + 1)).map((ended) => ended.id)).toEqual([id]);
    expect((await row(id)).endReason).toBe("left");
    expect((await view()).isLive).toBe(false);
  });
});
