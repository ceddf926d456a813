import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTRPCContext } from "../context";
import { appRouter } from "../root";
import { createTestKit, clientShape, trpcError, uniqueName, type SignedUp, type TestKit } from "../test/helpers";
import { createCallerFactory } from "../trpc";

describe("ingress.get / create / delete: the creator's streaming-software key", () => {
  let kit: TestKit;
  let creator: SignedUp;
  let viewer: SignedUp;

  beforeAll(async () => {
    kit = await createTestKit();
    creator = await kit.makeCreator(uniqueName("obs"));
    viewer = await kit.signUp({ username: uniqueName("fan") });
  });
  afterAll(() => kit?.close());

  const atLiveKit = () => [...kit.livekitDouble.ingresses.values()];

  it("creates an RTMP ingress at LiveKit (ingressAdmin grant), publishing as the creator into a room of its own", async () => {
    expect(await creator.caller.ingress.get()).toBeNull();
    const created = await creator.caller.ingress.create({ kind: "rtmp" });
    expect(created).toEqual({ kind: "rtmp", url: "rtmp://127.0.0.1:1935/x", streamKey: expect.stringMatching(/.{12,}/) as unknown });
    const [info] = atLiveKit();
    expect(info).toMatchObject({ inputType: "RTMP_INPUT", streamKey: created.streamKey, participantIdentity: creator.user.id });
    expect(info!.roomName).toMatch(/^broadcast-[0-9a-f-]{36}$/);
    const call = kit.livekitDouble.calls.find((c) => c.method === "CreateIngress")!;
    expect(call.grants.video?.ingressAdmin).toBe(true);
    expect(await creator.caller.ingress.get()).toMatchObject({
      kind: "rtmp",
      url: created.url,
      streamKey: created.streamKey,
      refusedAt: null,
    });
  });

  it("create again resets the key: the old ingress is deleted at LiveKit, so the old key stops at once", async () => {
    const before = (await creator.caller.ingress.get())!;
    const oldId = atLiveKit()[0]!.ingressId;
    const created = await creator.caller.ingress.create({ kind: "whip" });
    expect(created.kind).toBe("whip");
    expect(created.url).toBe("http://127.0.0.1:8080/w");
    expect(created.streamKey).not.toBe(before.streamKey);
    expect(kit.livekitDouble.ingresses.has(oldId)).toBe(false);
    expect(atLiveKit()).toHaveLength(1);
    expect(atLiveKit()[0]).toMatchObject({ inputType: "WHIP_INPUT", streamKey: created.streamKey });
    expect((await creator.caller.ingress.get())!.streamKey).toBe(created.streamKey);
  });

  it("delete removes it at LiveKit and here; deleting nothing says so", async () => {
    expect(await creator.caller.ingress.delete()).toEqual({ deleted: true });
    expect(atLiveKit()).toHaveLength(0);
    expect(await creator.caller.ingress.get()).toBeNull();
    expect(await creator.caller.ingress.delete()).toEqual({ deleted: false });
  });

  it("approved creators only", async () => {
    expect((await trpcError(kit.anonymous.ingress.get())).code).toBe("UNAUTHORIZED");
    expect((await trpcError(viewer.caller.ingress.create({ kind: "rtmp" }))).code).toBe("FORBIDDEN");
    expect((await trpcError(viewer.caller.ingress.get())).code).toBe("FORBIDDEN");
    const bad = await trpcError(creator.caller.ingress.create({ kind: "srt" as "rtmp" }));
    expect(bad.code).toBe("BAD_REQUEST");
    expect(clientShape(bad).message).toContain("kind");
  });

  it("LiveKit's refusals reach the creator as a clear message, never a 500", async () => {
    const cases = [
      { failure: { status: 429, code: "resource_exhausted", msg: "ingress limit reached" }, says: /quota/ },
      { failure: { status: 404, code: "bad_route", msg: "ingress not connected (redis required)" }, says: /no ingress service/ },
      { failure: { status: 503, code: "unavailable", msg: "try later" }, says: /no ingress service/ },
    ];
    for (const { failure, says } of cases) {
      kit.livekitDouble.ingressFailure = failure;
      const error = await trpcError(creator.caller.ingress.create({ kind: "rtmp" }));
      expect(error.code).toBe("PRECONDITION_FAILED");
      expect(clientShape(error).message).toMatch(says);
      expect(clientShape(error).message).toContain(failure.msg);
    }
    kit.livekitDouble.ingressFailure = null;
    expect(await creator.caller.ingress.get()).toBeNull();
  });

  it("LiveKit unreachable: a clear message", async () => {
    const { createLiveKitIngress } = await import("../services/livekit");
    const services = { ...kit.services, ingress: createLiveKitIngress({ ...kit.livekit, apiUrl: "http://127.0.0.1:9" }, kit.services.log) };
    const caller = createCallerFactory(appRouter)(createTRPCContext({ headers: creator.headers, db: kit.db, auth: kit.auth, services }));
    const error = await trpcError(caller.ingress.create({ kind: "rtmp" }));
    expect(error.code).toBe("PRECONDITION_FAILED");
    expect(clientShape(error).message).toMatch(/could not be reached/);
  });

  it("a failed revoke keeps the old key (and says so)", async () => {
    const created = await creator.caller.ingress.create({ kind: "rtmp" });
    kit.livekitDouble.ingressFailure = { status: 503, code: "unavailable", msg: "down" };
    const error = await trpcError(creator.caller.ingress.delete());
    expect(clientShape(error).message).toMatch(/still works/);
    expect(clientShape(error).message).not.toContain(created.streamKey);
    kit.livekitDouble.ingressFailure = null;
    expect((await creator.caller.ingress.get())!.streamKey).toBe(created.streamKey);
    await creator.caller.ingress.delete();
  });

  it("INGRESS=off: unavailable, and every ingress procedure is refused naming the switch", async () => {
    const services = { ...kit.services, ingress: null };
    const caller = createCallerFactory(appRouter)(createTRPCContext({ headers: creator.headers, db: kit.db, auth: kit.auth, services }));
    expect(await caller.ingress.available()).toBe(false);
    expect(await creator.caller.ingress.available()).toBe(true);
    // One at a time: a call started early would reject before anything awaits it (an unhandled rejection).
    for (const call of [() => caller.ingress.get(), () => caller.ingress.create({ kind: "rtmp" }), () => caller.ingress.delete()]) {
      const error = await trpcError(call());
      expect(error.code).toBe("NOT_FOUND");
      expect(error.message).toContain("INGRESS=off");
    }
  });
});
