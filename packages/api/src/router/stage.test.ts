import type { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { TokenVerifier } from "livekit-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { channelRestriction, stageGuest, stream } from "@onair/db";
import { reconcileViewerCounts } from "../services/live/broadcasts";
import { TOKEN_TTL_SECONDS } from "../services/livekit";
import { MAX_GUESTS_ON_STAGE } from "../services/stage/stage";
import type { StageEvent } from "../services/stage/stage-events";
import { applyLiveKitWebhook } from "../services/ingress/webhooks";
import { createTestKit, TEST_LIVEKIT, trpcError, uniqueName, type SignedUp, type TestKit } from "../test/helpers";
import { subscribe, waitFor } from "../test/subscribe";
import { webhookEvent } from "../test/webhooks";

/**
 * Guest on stage (issue 26): `stage.invite`, `onInvite`, `accept`, `decline`, `remove`, `leave`, `list`.
 * LiveKit's RoomService is the in-repo double, which checks each call's grants as LiveKit does.
 */
describe("stage: guest on stage", () => {
  let kit: TestKit;
  const verifier = new TokenVerifier(TEST_LIVEKIT.apiKey, TEST_LIVEKIT.apiSecret);

  beforeAll(async () => {
    kit = await createTestKit();
  });
  afterAll(() => kit?.close());

  const viewer = () => kit.signUp({ username: uniqueName("guest") });
  /** An approved creator, live: their room and a way to name the channel. */
  async function liveCreator() {
    const creator = await kit.makeCreator(uniqueName("host"));
    const live = await creator.caller.stream.goLive();
    return { creator, channel: creator.user.username!, roomName: live.roomName };
  }
  const name = (who: SignedUp) => who.user.username!;
  const callsFor = (method: string, identity: string) =>
    kit.livekitDouble.calls.filter((call) => call.method === method && call.body.identity === identity);
  const statusOf = async (userId: string) =>
    (await kit.db.select({ status: stageGuest.status }).from(stageGuest).where(eq(stageGuest.userId, userId))).map((r) => r.status);

  it("who may call: invite and remove are the creator's, while live; the rest need a session; list is public", async () => {
    const host = await kit.makeCreator(uniqueName("host"));
    const fan = await viewer();
    const username = name(fan);
    expect((await trpcError(kit.anonymous.stage.invite({ username }))).code).toBe("UNAUTHORIZED");
    expect((await trpcError(fan.caller.stage.invite({ username: name(host) }))).code).toBe("FORBIDDEN");
    expect((await trpcError(fan.caller.stage.remove({ username: name(host) }))).code).toBe("FORBIDDEN");
    const offline = await trpcError(host.caller.stage.invite({ username }));
    expect([offline.code, offline.message]).toEqual(["PRECONDITION_FAILED", expect.stringContaining("not live")]);
    for (const call of [kit.anonymous.stage.accept, kit.anonymous.stage.decline, kit.anonymous.stage.leave]) {
      expect((await trpcError(call({ username: name(host) }))).code).toBe("UNAUTHORIZED");
    }
    const anonymousStream = subscribe<StageEvent>(kit, undefined, (caller) => caller.stage.onInvite());
    await expect(anonymousStream.ended).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(await kit.anonymous.stage.list({ username: name(host) })).toEqual([]);
    expect((await trpcError(kit.anonymous.stage.list({ username: "no_such_channel" }))).code).toBe("NOT_FOUND");

    await host.caller.stream.goLive();
    const bad = await trpcError(host.caller.stage.invite({ username: "no spaces!" }));
    expect([bad.code, bad.message]).toEqual(["BAD_REQUEST", expect.stringContaining("username")]);
    expect((await trpcError(host.caller.stage.invite({ username: "nobody_by_this_name" }))).code).toBe("NOT_FOUND");
    const self = await trpcError(host.caller.stage.invite({ username: name(host) }));
    expect([self.code, self.message]).toEqual(["BAD_REQUEST", expect.stringMatching(/^username: /)]);
    const ownChannel = await trpcError(host.caller.stage.accept({ username: name(host) }));
    expect(ownChannel.code).toBe("BAD_REQUEST");
    // Another creator's remove only ever touches their own stage.
    const other = await liveCreator();
    await host.caller.stage.invite({ username });
    expect((await trpcError(other.creator.caller.stage.remove({ username }))).code).toBe("NOT_FOUND");
    expect(await statusOf(fan.user.id)).toEqual(["invited"]);
  });

  it("invite → onInvite → accept: a token for the broadcast's room, camera and microphone only, identity stage-<id>", async () => {
    const { creator, channel, roomName } = await liveCreator();
    const fan = await viewer();
    const invitations = subscribe<StageEvent>(kit, fan.headers, (caller) => caller.stage.onInvite());
    expect(await creator.caller.stage.invite({ username: name(fan) })).toEqual({ invited: true });
    const invited = await invitations.next((e) => e.type === "invited", "the invitation");
    expect(invited).toMatchObject({ type: "invited", channel, invitedBy: channel });
    expect((invited as { at: Date }).at).toBeInstanceOf(Date);
    // Asking again while it is open is the same invitation (no second event, one row).
    expect(await creator.caller.stage.invite({ username: name(fan) })).toEqual({ invited: true });

    const joined = await fan.caller.stage.accept({ username: channel });
    expect(joined).toMatchObject({ wsUrl: TEST_LIVEKIT.url, roomName, identity: `stage-${fan.user.id}` });
    const claims = await verifier.verify(joined.token);
    expect(claims.sub).toBe(`stage-${fan.user.id}`);
    expect(claims.name).toBe(name(fan));
    expect(claims.video).toEqual({
      roomJoin: true,
      room: roomName,
      canPublish: true,
      canPublishSources: ["camera", "microphone"],
      canSubscribe: true,
      canPublishData: false,
    });
    expect(claims.exp! - claims.nbf!).toBeLessThanOrEqual(15 * 60);
    expect(claims.exp! - claims.nbf!).toBe(TOKEN_TTL_SECONDS);
    // The accepted invitation leaves the user's other pages.
    await invitations.next((e) => e.type === "withdrawn" && e.channel === channel, "the accepted invitation closing");
    expect(invitations.received.filter((e) => e.type === "invited")).toHaveLength(1);
    await invitations.stop();

    const [onStage] = await kit.anonymous.stage.list({ username: channel });
    expect(onStage?.username).toBe(name(fan));
    expect(onStage?.since).toBeInstanceOf(Date);
    // While on stage, accepting again renews the token (same identity and room).
    const renewed = await fan.caller.stage.accept({ username: channel });
    expect((await verifier.verify(renewed.token)).video?.room).toBe(roomName);
    expect(await kit.anonymous.stage.list({ username: channel })).toHaveLength(1);
    const already = await trpcError(creator.caller.stage.invite({ username: name(fan) }));
    expect([already.code, already.message]).toEqual(["CONFLICT", expect.stringContaining("on your stage already")]);
  });

  it("onInvite sends the caller's open invitations first on connecting, then withdrawals", async () => {
    const first = await liveCreator();
    const second = await liveCreator();
    const fan = await viewer();
    await first.creator.caller.stage.invite({ username: name(fan) });
    await second.creator.caller.stage.invite({ username: name(fan) });
    const invitations = subscribe<StageEvent>(kit, fan.headers, (caller) => caller.stage.onInvite());
    await invitations.next((e) => e.channel === second.channel, "the second pending invitation");
    expect(invitations.received.map((e) => [e.type, e.channel])).toEqual([
      ["invited", first.channel],
      ["invited", second.channel],
    ]);
    await first.creator.caller.stage.remove({ username: name(fan) });
    await invitations.next((e) => e.type === "withdrawn", "the withdrawal");
    expect(invitations.received.at(-1)).toEqual({ type: "withdrawn", channel: first.channel });
    await invitations.stop();
    // Someone else's stream hears none of it.
    const other = await viewer();
    const theirs = subscribe<StageEvent>(kit, other.headers, (caller) => caller.stage.onInvite());
    await second.creator.caller.stage.invite({ username: name(other) });
    await theirs.next((e) => e.type === "invited", "their own invitation");
    expect(theirs.received).toHaveLength(1);
    expect(theirs.received[0]).toMatchObject({ type: "invited", channel: second.channel, invitedBy: second.channel });
    await theirs.stop();
  });

  it(`at most ${MAX_GUESTS_ON_STAGE} guests on stage: invite and accept are CONFLICT past it, and two racing accepts take one place`, async () => {
    const { creator, channel } = await liveCreator();
    const guests = await Promise.all(Array.from({ length: 5 }, viewer));
    for (const guest of guests.slice(0, 4)) await creator.caller.stage.invite({ username: name(guest) });
    await guests[0]!.caller.stage.accept({ username: channel });
    await guests[1]!.caller.stage.accept({ username: channel });
    // Two invited users accept at once for the last place: exactly one gets it.
    const race = await Promise.allSettled([
      guests[2]!.caller.stage.accept({ username: channel }),
      guests[3]!.caller.stage.accept({ username: channel }),
    ]);
    expect(race.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = (race.find((r) => r.status === "rejected") as PromiseRejectedResult).reason as TRPCError;
    expect([lost.code, lost.message]).toEqual(["CONFLICT", expect.stringContaining(`at most ${MAX_GUESTS_ON_STAGE}`)]);
    expect(await kit.anonymous.stage.list({ username: channel })).toHaveLength(MAX_GUESTS_ON_STAGE);
    const full = await trpcError(creator.caller.stage.invite({ username: name(guests[4]!) }));
    expect([full.code, full.message]).toEqual(["CONFLICT", expect.stringContaining("stage is full")]);

    // A place freed (the guest leaves): the one still invited may come on.
    await guests[0]!.caller.stage.leave({ username: channel });
    const waiting = race[0].status === "rejected" ? guests[2]! : guests[3]!;
    await waiting.caller.stage.accept({ username: channel });
    expect((await kit.anonymous.stage.list({ username: channel })).map((g) => g.username).sort()).toEqual(
      [guests[1]!, guests[2]!, guests[3]!].map(name).sort(),
    );
  });

  it("decline, withdrawal and the unknown: each a precise error", async () => {
    const { creator, channel } = await liveCreator();
    const [shy, dropped, stranger] = await Promise.all([viewer(), viewer(), viewer()]);
    const missing = await trpcError(stranger.caller.stage.accept({ username: channel }));
    expect([missing.code, missing.message]).toEqual(["NOT_FOUND", `${channel} has not invited you on stage`]);
    expect((await trpcError(stranger.caller.stage.decline({ username: channel }))).code).toBe("NOT_FOUND");
    expect((await trpcError(stranger.caller.stage.leave({ username: channel }))).code).toBe("NOT_FOUND");
    expect((await trpcError(stranger.caller.stage.accept({ username: "no_such_channel" }))).code).toBe("NOT_FOUND");

    await creator.caller.stage.invite({ username: name(shy) });
    expect(await shy.caller.stage.decline({ username: channel })).toEqual({ declined: true });
    const declined = await trpcError(shy.caller.stage.accept({ username: channel }));
    expect([declined.code, declined.message]).toEqual(["CONFLICT", expect.stringContaining("You declined")]);
    expect((await trpcError(shy.caller.stage.decline({ username: channel }))).code).toBe("NOT_FOUND");

    await creator.caller.stage.invite({ username: name(dropped) });
    expect(await creator.caller.stage.remove({ username: name(dropped) })).toEqual({ removed: true, disconnected: false });
    const withdrawn = await trpcError(dropped.caller.stage.accept({ username: channel }));
    expect([withdrawn.code, withdrawn.message]).toEqual(["CONFLICT", `${channel} withdrew the invitation`]);
    // An invitation never accepted has no LiveKit participant to take off.
    expect(callsFor("RemoveParticipant", `stage-${dropped.user.id}`)).toEqual([]);
    expect((await trpcError(creator.caller.stage.remove({ username: name(dropped) }))).code).toBe("NOT_FOUND");
    // A new invitation opens again.
    await creator.caller.stage.invite({ username: name(dropped) });
    await dropped.caller.stage.accept({ username: channel });
    const onStage = await trpcError(dropped.caller.stage.decline({ username: channel }));
    expect([onStage.code, onStage.message]).toEqual(["CONFLICT", expect.stringContaining("stage.leave")]);
  });

  it("remove and leave withdraw the guest's publish right at LiveKit and refuse their tokens; no renewal after", async () => {
    const { creator, channel, roomName } = await liveCreator();
    const [kicked, leaver] = await Promise.all([viewer(), viewer()]);
    for (const guest of [kicked, leaver]) {
      await creator.caller.stage.invite({ username: name(guest) });
      await guest.caller.stage.accept({ username: channel });
    }
    const kickedId = `stage-${kicked.user.id}`;
    const leaverId = `stage-${leaver.user.id}`;
    kit.livekitDouble.participants.set(roomName, [creator.user.id, kickedId, leaverId]);
    kit.livekitDouble.publishing.add(kickedId);
    const kickedHears = subscribe<StageEvent>(kit, kicked.headers, (caller) => caller.stage.onInvite());
    await waitFor(() => kit.services.stage.listenerCount(kicked.user.id) > 0, "the guest's subscription");

    expect(await creator.caller.stage.remove({ username: name(kicked) })).toEqual({ removed: true, disconnected: true });
    // The guest's pages hear it at once (their accepted invitation was closed long ago: this is not a withdrawal).
    await kickedHears.next((e) => e.type === "removed", "the guest taken off");
    expect(kickedHears.received).toEqual([{ type: "removed", channel, why: "creator" }]);
    await kickedHears.stop();
    const [update] = callsFor("UpdateParticipant", kickedId);
    // Every permission at once, as LiveKit applies them (proto3 JSON leaves the false ones out): subscribe only.
    expect(update?.body).toMatchObject({ room: roomName, permission: { canSubscribe: true } });
    expect(update?.body.permission).toEqual({ canSubscribe: true });
    expect(update?.grants.video).toMatchObject({ roomAdmin: true, room: roomName });
    const [removal] = callsFor("RemoveParticipant", kickedId);
    expect(removal?.body).toMatchObject({ room: roomName });
    // LiveKit refuses every token issued before this second: the guest's token can no longer join or be renewed.
    expect(Number(removal?.body.revokeTokenTs)).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 5);
    expect(kit.livekitDouble.publishing.has(kickedId)).toBe(false);
    expect(kit.livekitDouble.participants.get(roomName)).not.toContain(kickedId);
    expect(kit.livekitDouble.refused).toEqual([]);
    const renew = await trpcError(kicked.caller.stage.accept({ username: channel }));
    expect([renew.code, renew.message]).toEqual(["CONFLICT", `${channel} took you off the stage`]);

    expect(await leaver.caller.stage.leave({ username: channel })).toEqual({ left: true });
    expect(callsFor("RemoveParticipant", leaverId)).toHaveLength(1);
    const back = await trpcError(leaver.caller.stage.accept({ username: channel }));
    expect([back.code, back.message]).toEqual(["CONFLICT", expect.stringContaining("You left")]);
    expect(await kit.anonymous.stage.list({ username: channel })).toEqual([]);
    expect(await statusOf(kicked.user.id)).toEqual(["removed"]);
    expect(await statusOf(leaver.user.id)).toEqual(["left"]);
  });

  it("restricted users (timed out, banned, blocked in the channel) cannot be invited, accept, or stay on stage", async () => {
    const { creator, channel, roomName } = await liveCreator();
    const [timedOut, banned, blocked, later] = await Promise.all([viewer(), viewer(), viewer(), viewer()]);
    await creator.caller.moderation.timeout({ channel, username: name(timedOut), minutes: 10 });
    await creator.caller.moderation.ban({ channel, username: name(banned) });
    await creator.caller.moderation.block({ channel, username: name(blocked) });
    for (const [who, words] of [
      [timedOut, "timed out"],
      [banned, "banned"],
      [blocked, "blocked"],
    ] as const) {
      const refused = await trpcError(creator.caller.stage.invite({ username: name(who) }));
      expect([refused.code, refused.message]).toEqual([
        "FORBIDDEN",
        `username: ${name(who)} is ${words} in your channel and cannot be invited`,
      ]);
    }
    // Restricted after the invitation: accepting is refused.
    await creator.caller.stage.invite({ username: name(later) });
    await creator.caller.moderation.ban({ channel, username: name(later) });
    const refused = await trpcError(later.caller.stage.accept({ username: channel }));
    expect([refused.code, refused.message]).toEqual(["FORBIDDEN", "You are banned from this channel"]);
    expect(await kit.anonymous.stage.list({ username: channel })).toEqual([]);

    // On stage, then timed out: off the stage and out of LiveKit's room at once (the reconcile has nothing left to do).
    const guest = await viewer();
    await creator.caller.stage.invite({ username: name(guest) });
    await guest.caller.stage.accept({ username: channel });
    const identity = `stage-${guest.user.id}`;
    kit.livekitDouble.participants.set(roomName, [creator.user.id, identity]);
    await reconcileViewerCounts(kit.services);
    expect(callsFor("RemoveParticipant", identity)).toEqual([]);
    const guestHears = subscribe<StageEvent>(kit, guest.headers, (caller) => caller.stage.onInvite());
    await waitFor(() => kit.services.stage.listenerCount(guest.user.id) > 0, "the guest's subscription");
    await creator.caller.moderation.timeout({ channel, username: name(guest), minutes: 5 });
    expect(await guestHears.next((e) => e.type === "removed", "the guest taken off")).toEqual({
      type: "removed",
      channel,
      why: "restricted",
    });
    await guestHears.stop();
    expect(callsFor("UpdateParticipant", identity)).toHaveLength(1);
    expect(callsFor("RemoveParticipant", identity)).toHaveLength(1);
    await reconcileViewerCounts(kit.services);
    expect(callsFor("RemoveParticipant", identity)).toHaveLength(1);
    expect(kit.livekitDouble.participants.get(roomName)).toEqual([creator.user.id]);
    expect(await kit.anonymous.stage.list({ username: channel })).toEqual([]);
    expect(await statusOf(guest.user.id)).toEqual(["removed"]);
  });

  it("a guest restricted without the stage hearing of it (a ban racing the accept) is taken off by the reconcile, and their page hears it", async () => {
    const { creator, channel, roomName } = await liveCreator();
    const guest = await viewer();
    await creator.caller.stage.invite({ username: name(guest) });
    const events = subscribe<StageEvent>(kit, guest.headers, (caller) => caller.stage.onInvite());
    await events.next((e) => e.type === "invited", "the invitation");
    await guest.caller.stage.accept({ username: channel });
    const identity = `stage-${guest.user.id}`;
    kit.livekitDouble.participants.set(roomName, [creator.user.id, identity]);
    const [own] = await kit.db.select({ id: stream.id }).from(stream).where(eq(stream.userId, creator.user.id));
    await kit.db.insert(channelRestriction).values({ streamId: own!.id, userId: guest.user.id, kind: "ban" });

    await reconcileViewerCounts(kit.services);
    expect(callsFor("RemoveParticipant", identity)).toHaveLength(1);
    expect(await statusOf(guest.user.id)).toEqual(["removed"]);
    expect(await events.next((e) => e.type === "removed", "removed, on the guest's page")).toEqual({
      type: "removed",
      channel,
      why: "restricted",
    });
    await events.stop();
  });

  it("a guest's tracks never make the channel live, nor count as viewers; a guest off stage who joins is taken off", async () => {
    const { creator, channel, roomName } = await liveCreator();
    const [guest, removed] = await Promise.all([viewer(), viewer()]);
    for (const who of [guest, removed]) {
      await creator.caller.stage.invite({ username: name(who) });
      await who.caller.stage.accept({ username: channel });
    }
    await creator.caller.stage.remove({ username: name(removed) });
    const webhook = (event: string, identity: string, extra: object = {}) =>
      applyLiveKitWebhook(kit.services, webhookEvent({ event, room: roomName, identity, ...extra }));

    const guestId = `stage-${guest.user.id}`;
    expect(await webhook("participant_joined", guestId)).toBe("ignored");
    expect(await webhook("track_published", guestId, { track: "TR_guest_cam", tracks: ["TR_guest_cam"] })).toBe("ignored");
    const view = await kit.anonymous.stream.byUsername({ username: channel });
    expect(view).toMatchObject({ isLive: true, isPublishing: false, viewerCount: 0 });
    expect((await kit.anonymous.stream.live()).items.map((s) => s.username)).not.toContain(channel);
    expect(callsFor("RemoveParticipant", guestId)).toEqual([]);

    // Whoever is off the stage and shows up anyway (an old token) is taken off at once.
    const removedId = `stage-${removed.user.id}`;
    const before = callsFor("RemoveParticipant", removedId).length;
    expect(await webhook("participant_joined", removedId)).toBe("ignored");
    expect(callsFor("RemoveParticipant", removedId)).toHaveLength(before + 1);
    expect(callsFor("RemoveParticipant", removedId).at(-1)?.body.revokeTokenTs).toBeDefined();

    // The creator's own track still does.
    expect(await webhook("track_published", creator.user.id, { track: "TR_cam", tracks: ["TR_cam"] })).toBe("applied");
    expect(await kit.anonymous.stream.byUsername({ username: channel })).toMatchObject({ isPublishing: true });
  });

  it("the creator ending the stream ends the stage: guests off, invitations withdrawn, nothing to accept after", async () => {
    const { creator, channel } = await liveCreator();
    const [onStage, invited] = await Promise.all([viewer(), viewer()]);
    await creator.caller.stage.invite({ username: name(onStage) });
    await onStage.caller.stage.accept({ username: channel });
    await creator.caller.stage.invite({ username: name(invited) });
    const invitations = subscribe<StageEvent>(kit, invited.headers, (caller) => caller.stage.onInvite());
    await invitations.next((e) => e.type === "invited", "the open invitation");

    const guestHears = subscribe<StageEvent>(kit, onStage.headers, (caller) => caller.stage.onInvite());
    await waitFor(() => kit.services.stage.listenerCount(onStage.user.id) > 0, "the guest's subscription");

    await creator.caller.stream.end();
    await invitations.next((e) => e.type === "withdrawn", "the invitation withdrawn by the end");
    expect(invitations.received.at(-1)).toEqual({ type: "withdrawn", channel });
    await guestHears.next((e) => e.type === "removed", "the guest off the ended stage");
    expect(guestHears.received).toEqual([{ type: "removed", channel, why: "ended" }]);
    await Promise.all([invitations.stop(), guestHears.stop()]);
    expect(await kit.anonymous.stage.list({ username: channel })).toEqual([]);
    expect(await statusOf(onStage.user.id)).toEqual(["removed"]);
    expect(await statusOf(invited.user.id)).toEqual(["removed"]);
    for (const who of [onStage, invited]) {
      const ended = await trpcError(who.caller.stage.accept({ username: channel }));
      expect([ended.code, ended.message]).toEqual(["CONFLICT", `${channel}'s broadcast this invitation was for has ended`]);
    }
    // The next broadcast starts with an empty stage: the old invitation stays ended.
    await creator.caller.stream.goLive();
    expect((await trpcError(invited.caller.stage.accept({ username: channel }))).message).toContain("has ended");
    const rows = await kit.db
      .select({ status: stageGuest.status })
      .from(stageGuest)
      .where(and(eq(stageGuest.userId, invited.user.id), eq(stageGuest.status, "invited")));
    expect(rows).toEqual([]);
  });
});
