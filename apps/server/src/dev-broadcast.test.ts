import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestKit, uniqueName, type SignedUp, type TestKit } from "@onair/api/testing";
import { buildApp } from "./app";
import { testEnv } from "./test/env";
import { LANES, laneCaller, type LaneAnswer } from "./test/lanes";

/**
 * Trying OnAir without LiveKit (#25): outside production `stream.goLive({ withoutVideo: true })` opens a
 * broadcast for chat, gifts and the activity feed that is labelled as such and never counts as
 * publishing (LIVE only while video flows); in production the server refuses it. Both lanes each way.
 */
let kit: TestKit;
beforeAll(async () => {
  kit = await createTestKit();
});
afterAll(() => kit?.close());

async function start(extra: Record<string, string> = {}) {
  const app = await buildApp({ env: testEnv({ LIVEKIT_API_URL: kit.livekit.apiUrl, ...extra }), database: kit.handle });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  return { app, call: laneCaller(app, url) };
}
const data = (answer: LaneAnswer) => answer.body.result?.data.json as Record<string, unknown>;

describe("outside production: going live without video", () => {
  let server: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(() => server?.app.close());

  for (const lane of LANES) {
    it(`${lane}: opens a live broadcast marked withoutVideo, never publishing, out of the directory; chat and gifts work`, async () => {
      const creator = await kit.makeCreator(uniqueName("dev"));
      const fan = await kit.signUp({ username: uniqueName("fan") });
      const call = (kind: "query" | "mutation", path: string, input: unknown, who: SignedUp | null) =>
        server.call(lane, kind, path, input, who);

      expect(data(await call("query", "stream.mediaServer", undefined, creator))).toMatchObject({ withoutVideoAllowed: true });
      const live = await call("mutation", "stream.goLive", { title: "Trying OnAir", withoutVideo: true }, creator);
      expect(live.status).toBe(200);
      expect(data(live)).toMatchObject({ withoutVideo: true, stream: { isLive: true, isPublishing: false, withoutVideo: true } });

      const view = data(await call("query", "stream.byUsername", { username: creator.user.username }, null));
      expect(view).toMatchObject({ isLive: true, isPublishing: false, withoutVideo: true, title: "Trying OnAir" });
      const directory = data(await call("query", "stream.live", undefined, null)) as { items: { username: string }[] };
      expect(directory.items.map((item) => item.username)).not.toContain(creator.user.username);

      const sent = await call("mutation", "chat.send", { username: creator.user.username, text: "hello dev" }, fan);
      expect(sent.status).toBe(200);
      const [cheapest] = data(await call("query", "gift.catalog", undefined, null)) as unknown as { id: string }[];
      const gift = await call(
        "mutation",
        "gift.send",
        { username: creator.user.username, giftId: cheapest!.id, idempotencyKey: randomUUID() },
        fan,
      );
      expect(gift.status).toBe(200);

      // LiveKit came back: going live again (a resume) is an ordinary broadcast from then on.
      const again = await call("mutation", "stream.goLive", undefined, creator);
      expect(data(again)).toMatchObject({ withoutVideo: false });
      expect(data(await call("mutation", "stream.end", undefined, creator)).stream).toMatchObject({ isLive: false, withoutVideo: false });
    });
  }
});

describe("in production: never", () => {
  let server: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    server = await start({ NODE_ENV: "production" });
  });
  afterAll(() => server?.app.close());

  for (const lane of LANES) {
    it(`${lane}: goLive({ withoutVideo: true }) is FORBIDDEN and opens nothing; the page is not offered it`, async () => {
      const creator = await kit.makeCreator(uniqueName("prod"));
      const call = (kind: "query" | "mutation", path: string, input: unknown) => server.call(lane, kind, path, input, creator);
      expect(data(await call("query", "stream.mediaServer", undefined))).toMatchObject({ withoutVideoAllowed: false });
      const refused = await call("mutation", "stream.goLive", { withoutVideo: true });
      expect(refused.status).toBe(403);
      expect(refused.body.error?.json.data.code).toBe("FORBIDDEN");
      expect(refused.body.error?.json.message).toMatch(/development only/);
      expect(data(await call("query", "stream.byUsername", { username: creator.user.username }))).toMatchObject({ isLive: false });
      // An ordinary goLive still works there.
      expect(data(await call("mutation", "stream.goLive", {}))).toMatchObject({ withoutVideo: false });
    });
  }
});
