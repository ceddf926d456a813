import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestKit, uniqueName, type SignedUp, type TestKit } from "@onair/api/testing";
import { buildApp } from "./app";
import { testEnv } from "./test/env";
import { LANES, laneCaller, type LaneAnswer } from "./test/lanes";

/**
 * Stream health for streaming software (#25): `ingress.get` adds `health`, what LiveKit's Ingress service
 * reports (`IngressInfo.state`: waiting / receiving / live, and the incoming video's bitrate, size and
 * frame rate), read from the in-repo Ingress double; the key never waits on LiveKit. Both lanes.
 */
let kit: TestKit;
let app: Awaited<ReturnType<typeof buildApp>>;
let call: ReturnType<typeof laneCaller>;

beforeAll(async () => {
  kit = await createTestKit();
  app = await buildApp({ env: testEnv({ LIVEKIT_API_URL: kit.livekit.apiUrl }), database: kit.handle });
  call = laneCaller(app, await app.listen({ port: 0, host: "127.0.0.1" }));
});
afterAll(async () => {
  await app?.close();
  await kit?.close();
});

const data = (answer: LaneAnswer) => answer.body.result?.data.json as Record<string, unknown>;

describe("ingress.get reports the ingress's health", () => {
  for (const lane of LANES) {
    it(`${lane}: waiting → receiving → live with the incoming video; error in LiveKit's words; null when LiveKit can't answer`, async () => {
      const creator: SignedUp = await kit.makeCreator(uniqueName("hl"));
      const get = async () => data(await call(lane, "query", "ingress.get", undefined, creator));
      const { streamKey } = data(await call(lane, "mutation", "ingress.create", { kind: "rtmp" }, creator)) as { streamKey: string };
      const held = [...kit.livekitDouble.ingresses.values()].find((item) => item.streamKey === streamKey)!;

      expect(await get()).toMatchObject({ streamKey, health: { state: "waiting", problem: null, video: null } });

      held.state = { status: "ENDPOINT_BUFFERING" };
      expect((await get()).health).toEqual({ state: "receiving", problem: null, video: null });

      held.state = {
        status: "ENDPOINT_PUBLISHING",
        video: { mimeType: "video/h264", averageBitrate: 2_500_000, width: 1280, height: 720, framerate: 30 },
      };
      expect((await get()).health).toEqual({
        state: "live",
        problem: null,
        video: { bitrate: 2_500_000, width: 1280, height: 720, framerate: 30 },
      });

      held.state = { status: "ENDPOINT_ERROR", error: "unsupported codec" };
      expect((await get()).health).toEqual({ state: "error", problem: "unsupported codec", video: null });

      // LiveKit's ingress service down: the key and URL still come, health is unknown (not a 500).
      kit.livekitDouble.ingressFailure = { status: 503, code: "unavailable", msg: "no ingress service" };
      try {
        const answer = await call(lane, "query", "ingress.get", undefined, creator);
        expect(answer.status).toBe(200);
        expect(data(answer)).toMatchObject({ streamKey, health: null });
      } finally {
        kit.livekitDouble.ingressFailure = null;
      }
    });
  }
});
