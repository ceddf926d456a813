import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingress } from "@onair/db";
import { createTestKit, uniqueName, type SignedUp, type TestKit } from "@onair/api/testing";
import { buildApp } from "./app";
import { testEnv } from "./test/env";
import { LANES, laneCaller, postWebhook } from "./test/lanes";

/**
 * Issue #21 N3 and N4 over HTTP, on both lanes: a moderator cannot overwrite the creator's block, and a
 * creator whose approval is withdrawn goes off the air and cannot come back through OBS (signed webhooks).
 */
let kit: TestKit;
let app: Awaited<ReturnType<typeof buildApp>>;
let call: ReturnType<typeof laneCaller>;
let admin: SignedUp;

beforeAll(async () => {
  kit = await createTestKit();
  app = await buildApp({ env: testEnv({ LIVEKIT_API_URL: kit.livekit.apiUrl }), database: kit.handle, logger: false });
  call = laneCaller(app, await app.listen({ port: 0, host: "127.0.0.1" }));
  admin = await kit.makeAdmin();
});
afterAll(async () => {
  await app?.close();
  await kit?.close();
});

describe("off the air over HTTP", () => {
  for (const lane of LANES) {
    it(`${lane}: a moderator's timeout of a blocked user is FORBIDDEN and the block stays`, async () => {
      const creator = await kit.makeCreator(uniqueName("chan"));
      const mod = await kit.signUp({ username: uniqueName("mod") });
      const troll = await kit.signUp({ username: uniqueName("troll") });
      const channel = creator.user.username!;
      await creator.caller.moderation.addModerator({ channel, username: mod.user.username! });
      await creator.caller.moderation.block({ channel, username: troll.user.username! });

      const answer = await call(lane, "mutation", "moderation.timeout", { channel, username: troll.user.username, minutes: 1 }, mod);
      expect(answer.status).toBe(403);
      expect(answer.body.error?.json.message).toMatch(/blocked by the channel's creator/);
      expect((await creator.caller.moderation.list({ channel })).map((r) => r.kind)).toEqual(["block"]);
    });

    it(`${lane}: withdrawing approval deletes the ingress at LiveKit and ends the OBS broadcast; OBS connecting again is refused`, async () => {
      const creator = await kit.makeCreator(uniqueName("obs"));
      await creator.caller.ingress.create({ kind: "rtmp" });
      const own = (await kit.db.select().from(ingress).where(eq(ingress.userId, creator.user.id)))[0]!;
      const info = { ingressId: own.ingressId, roomName: own.roomName };
      expect(await postWebhook(app, { event: "ingress_started", ingress: info })).toBe("applied");

      // LiveKit's ingress service is down at first: the withdrawal holds anyway, and the webhook is turned away.
      kit.livekitDouble.ingressFailure = { status: 503, code: "unavailable", msg: "no ingress service" };
      const kept = await call(lane, "mutation", "admin.rejectCreator", { username: creator.user.username }, admin).finally(() => {
        kit.livekitDouble.ingressFailure = null;
      });
      expect(kit.livekitDouble.calls.some((c) => c.method === "DeleteRoom" && c.body.room === own.roomName)).toBe(true);
      expect(kept.body.result?.data.json).toEqual({ status: "rejected", ended: true, ingress: "kept" });
      kit.livekitDouble.participants.set(own.roomName, [creator.user.id]);
      expect(await postWebhook(app, { event: "ingress_started", ingress: info })).toBe("refused");
      const removed = kit.livekitDouble.calls.find((c) => c.method === "RemoveParticipant" && c.body.room === own.roomName);
      expect(removed?.body.identity).toBe(creator.user.id);
      expect((await kit.anonymous.stream.byUsername({ username: creator.user.username! })).isLive).toBe(false);

      const deleted = await call(lane, "mutation", "admin.rejectCreator", { username: creator.user.username }, admin);
      expect(deleted.body.result?.data.json).toEqual({ status: "rejected", ended: false, ingress: "deleted" });
      expect(kit.livekitDouble.calls.some((c) => c.method === "DeleteIngress" && c.body.ingressId === own.ingressId)).toBe(true);
      expect(kit.livekitDouble.ingresses.has(own.ingressId)).toBe(false);
    });
  }
});
