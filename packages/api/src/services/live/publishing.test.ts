import { WebhookReceiver } from "livekit-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTRPCContext } from "../../context";
import { appRouter } from "../../root";
import { createCallerFactory } from "../../trpc";
import type { PublicStream } from "./streams";
import { createTestKit, TEST_LIVEKIT, uniqueName, type SignedUp, type TestKit } from "../../test/helpers";
import { signedWebhook, type WebhookFields } from "../../test/webhooks";
import { reconcileViewerCounts } from "./broadcasts";
import { applyLiveKitWebhook } from "../ingress/webhooks";

/**
 * `isPublishing`: true while the creator's media flows. Every transition, from each source the contract
 * names (LiveKit's webhooks signed as LiveKit signs them, the creator's heartbeat, LiveKit's room API),
 * reaches `stream.byUsername`, `stream.onStatus`, the directory and the Following list.
 */
describe("isPublishing: media flowing, from webhooks, heartbeats and the room API", () => {
  let kit: TestKit;
  let creator: SignedUp;
  let fan: SignedUp;
  let username: string;
  const receiver = new WebhookReceiver(TEST_LIVEKIT.apiKey, TEST_LIVEKIT.apiSecret);

  beforeAll(async () => {
    kit = await createTestKit();
    username = uniqueName("pub");
    creator = await kit.makeCreator(username);
    fan = await kit.signUp({ username: uniqueName("fan") });
    await fan.caller.follow.follow({ username });
  });
  afterAll(() => kit?.close());

  /** Signs the event as LiveKit does, verifies it as the webhook route does, then applies it. */
  async function webhook(fields: WebhookFields) {
    const signed = await signedWebhook(fields, TEST_LIVEKIT);
    return applyLiveKitWebhook(kit.services, await receiver.receive(signed.body, signed.authorization));
  }
  const view = () => kit.anonymous.stream.byUsername({ username });
  const inDirectory = async () => (await kit.anonymous.stream.live()).items.some((s) => s.username === username);
  const followed = async () => (await fan.caller.follow.following()).find((s) => s.username === username)!;

  /** stream.onStatus for the channel: every view it yields, and a way to wait for one. */
  function watchStatus() {
    const controller = new AbortController();
    const seen: PublicStream[] = [];
    const waiters: (() => void)[] = [];
    void (async () => {
      const context = createTRPCContext({ headers: new Headers(), db: kit.db, auth: kit.auth, services: kit.services });
      const caller = createCallerFactory(appRouter)(context, { signal: controller.signal });
      const updates = await caller.stream.onStatus({ username });
      for await (const update of updates) {
        seen.push(update);
        waiters.splice(0).forEach((wake) => wake());
      }
    })().catch(() => {});
    async function until(check: (v: PublicStream) => boolean, what: string) {
      const deadline = Date.now() + 10_000;
      while (!seen.some(check)) {
        if (Date.now() > deadline)
          throw new Error(`stream.onStatus never yielded ${what}; saw ${JSON.stringify(seen.map((v) => [v.isLive, v.isPublishing]))}`);
        await new Promise<void>((wake) => {
          waiters.push(wake);
          setTimeout(wake, 500).unref();
        });
      }
      seen.length = 0;
    }
    return { until, stop: () => controller.abort() };
  }

  it("an open broadcast without media is live but not publishing: not in the directory, starting for followers", async () => {
    const status = watchStatus();
    await status.until((v) => !v.isLive, "the offline view");
    const live = await creator.caller.stream.goLive();
    await status.until((v) => v.isLive && !v.isPublishing, "live without media");
    expect(await view()).toMatchObject({ isLive: true, isPublishing: false });
    expect(await inDirectory()).toBe(false);
    expect(await followed()).toMatchObject({ isLive: true, isPublishing: false });

    // LiveKit: the creator's camera is published → media flows, at once on open pages.
    expect(
      await webhook({ event: "track_published", room: live.roomName, identity: creator.user.id, track: "TR_cam", tracks: ["TR_cam"] }),
    ).toBe("applied");
    await status.until((v) => v.isPublishing, "isPublishing true after track_published");
    expect(await inDirectory()).toBe(true);
    expect(await followed()).toMatchObject({ isLive: true, isPublishing: true });

    // One of two tracks unpublished: the other still flows.
    await webhook({
      event: "track_published",
      room: live.roomName,
      identity: creator.user.id,
      track: "TR_mic",
      tracks: ["TR_cam", "TR_mic"],
    });
    await webhook({
      event: "track_unpublished",
      room: live.roomName,
      identity: creator.user.id,
      track: "TR_cam",
      tracks: ["TR_cam", "TR_mic"],
    });
    expect((await view()).isPublishing).toBe(true);
    // The last one gone: no media.
    expect(
      await webhook({ event: "track_unpublished", room: live.roomName, identity: creator.user.id, track: "TR_mic", tracks: ["TR_mic"] }),
    ).toBe("applied");
    await status.until((v) => v.isLive && !v.isPublishing, "isPublishing false after track_unpublished");
    expect(await inDirectory()).toBe(false);
    status.stop();
  });

  it("a viewer's tracks never count; the creator leaving LiveKit stops it", async () => {
    const live = await creator.caller.stream.goLive();
    expect(await webhook({ event: "track_published", room: live.roomName, identity: "viewer-x", track: "TR_x" })).toBe("ignored");
    expect((await view()).isPublishing).toBe(false);
    await webhook({ event: "track_published", room: live.roomName, identity: creator.user.id, track: "TR_a", tracks: ["TR_a"] });
    expect((await view()).isPublishing).toBe(true);
    const status = watchStatus();
    await status.until((v) => v.isPublishing, "the publishing view");
    await webhook({ event: "participant_left", room: live.roomName, identity: creator.user.id });
    await status.until((v) => v.isLive && !v.isPublishing, "isPublishing false after the creator left");
    status.stop();
  });

  it("the creator's heartbeat says when publishing starts and stops", async () => {
    await creator.caller.stream.goLive();
    const status = watchStatus();
    await status.until((v) => v.isLive && !v.isPublishing, "not publishing yet");
    expect(await creator.caller.stream.heartbeat({ publishing: true })).toEqual({ isLive: true });
    await status.until((v) => v.isPublishing, "isPublishing true after heartbeat({ publishing: true })");
    // A plain heartbeat (no publishing field) changes nothing.
    expect(await creator.caller.stream.heartbeat()).toEqual({ isLive: true });
    expect((await view()).isPublishing).toBe(true);
    await creator.caller.stream.heartbeat({ publishing: false });
    await status.until((v) => v.isLive && !v.isPublishing, "isPublishing false after heartbeat({ publishing: false })");
    status.stop();
  });

  it("LiveKit's room API listing the creator publishing turns it on", async () => {
    const live = await creator.caller.stream.goLive();
    expect((await view()).isPublishing).toBe(false);
    kit.livekitDouble.participants.set(live.roomName, [creator.user.id, "viewer-1"]);
    await reconcileViewerCounts(kit.services);
    expect(await view()).toMatchObject({ isPublishing: false, viewerCount: 1 });
    kit.livekitDouble.publishing.add(creator.user.id);
    await reconcileViewerCounts(kit.services);
    expect(await view()).toMatchObject({ isPublishing: true, viewerCount: 1 });
    expect(await inDirectory()).toBe(true);
  });

  it("ending the broadcast ends publishing; the next broadcast starts without media", async () => {
    await creator.caller.stream.heartbeat({ publishing: true });
    await creator.caller.stream.end();
    expect(await view()).toMatchObject({ isLive: false, isPublishing: false });
    expect(await followed()).toMatchObject({ isLive: false, isPublishing: false });
    // With no open broadcast a heartbeat changes nothing and says so.
    expect(await creator.caller.stream.heartbeat({ publishing: true })).toEqual({ isLive: false });
    await creator.caller.stream.goLive();
    expect(await view()).toMatchObject({ isLive: true, isPublishing: false });
  });

  it("stream.onLiveChange tells a Following list when a channel starts, publishes and ends — not viewer counts", async () => {
    await creator.caller.stream.end();
    const controller = new AbortController();
    const context = createTRPCContext({ headers: new Headers(), db: kit.db, auth: kit.auth, services: kit.services });
    const caller = createCallerFactory(appRouter)(context, { signal: controller.signal });
    const changes = (await caller.stream.onLiveChange({ usernames: [username, fan.user.username!] }))[Symbol.asyncIterator]();
    const next = async () => (await changes.next()).value as PublicStream;

    // Pull first: the subscription listens from its first read, before the change it must see.
    const pending = next();
    const live = await creator.caller.stream.goLive();
    // The end above may still be on its way (NOTIFY is asynchronous): skip it if it comes.
    let first = await pending;
    if (!first.isLive) first = await next();
    expect(first).toMatchObject({ username, isLive: true, isPublishing: false });
    await webhook({ event: "participant_joined", room: live.roomName, identity: "viewer-count-only" });
    await creator.caller.stream.heartbeat({ publishing: true });
    // The viewer count changed first, but only live-state changes come out.
    expect(await next()).toMatchObject({ username, isLive: true, isPublishing: true });
    await creator.caller.stream.end();
    expect(await next()).toMatchObject({ username, isLive: false, isPublishing: false });
    controller.abort();
  });
});
