import superjson from "superjson";
import { TokenVerifier } from "livekit-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestKit, TEST_LIVEKIT, uniqueName, type SignedUp, type TestKit } from "@onair/api/testing";
import { buildApp } from "./app";
import { testEnv } from "./test/env";
import { LANES, laneCaller, type Lane } from "./test/lanes";

/**
 * Guest on stage (issue 26) over HTTP, on both paths (the fast lane on a listening server, Fastify with
 * tRPC's adapter; a second server runs with TRPC_FAST_LANE=off for the adapter's SSE stream): who may
 * invite, the stage's limit, the accept's token, and `stage.onInvite` as SSE.
 */
type App = Awaited<ReturnType<typeof buildApp>>;
let kit: TestKit;
let app: App;
let adapterOnly: App;
let urls: Record<Lane, string>;
let call: ReturnType<typeof laneCaller>;

async function listening(env: Record<string, string> = {}) {
  const started = await buildApp({ env: testEnv({ LIVEKIT_API_URL: kit.livekit.apiUrl, ...env }), database: kit.handle, logger: false });
  return { app: started, url: await started.listen({ port: 0, host: "127.0.0.1" }) };
}

beforeAll(async () => {
  kit = await createTestKit();
  const fast = await listening();
  const adapter = await listening({ TRPC_FAST_LANE: "off" });
  app = fast.app;
  adapterOnly = adapter.app;
  urls = { fast: fast.url, adapter: adapter.url };
  call = laneCaller(app, fast.url);
});
afterAll(async () => {
  await app?.close();
  await adapterOnly?.close();
  await kit?.close();
});

/** An SSE stream read as it comes, until `match` is in it. */
async function openStream(base: string, path: string, who: SignedUp) {
  const controller = new AbortController();
  const headers = { accept: "text/event-stream", authorization: `Bearer ${who.token}` };
  const query = encodeURIComponent(JSON.stringify(superjson.serialize(undefined)));
  const response = await fetch(`${base}/trpc/${path}?input=${query}`, { headers, signal: controller.signal });
  let text = "";
  const reading = (async () => {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      text += value;
    }
  })().catch(() => {});
  return {
    status: response.status,
    async until(match: string) {
      await expect.poll(() => text.includes(match), { timeout: 15_000 }).toBe(true);
      return text;
    },
    async close() {
      controller.abort();
      await reading;
    },
  };
}

describe("stage over HTTP", () => {
  for (const lane of LANES) {
    it(`${lane}: only the live creator invites; onInvite streams it; accept's token; a 4th guest is a CONFLICT`, async () => {
      const creator = await kit.makeCreator(uniqueName("shost"));
      const channel = creator.user.username!;
      const guests = await Promise.all(Array.from({ length: 4 }, () => kit.signUp({ username: uniqueName("sguest") })));
      const invite = (who: SignedUp | null, guest: SignedUp) =>
        call(lane, "mutation", "stage.invite", { username: guest.user.username }, who);

      expect((await invite(null, guests[0]!)).status).toBe(401);
      expect((await invite(guests[1]!, guests[0]!)).status).toBe(403);
      const offline = await invite(creator, guests[0]!);
      expect([offline.status, offline.body.error?.json.data.code]).toEqual([412, "PRECONDITION_FAILED"]);
      await creator.caller.stream.goLive();
      const bad = await call(lane, "mutation", "stage.invite", { username: "no spaces!" }, creator);
      expect([bad.status, bad.body.error?.json.message]).toEqual([400, expect.stringContaining("username")]);

      const invitations = await openStream(urls[lane], "stage.onInvite", guests[0]!);
      expect(invitations.status).toBe(200);
      await invitations.until("event: connected");
      const invited = await invite(creator, guests[0]!);
      expect([invited.status, invited.body.result?.data.json]).toEqual([200, { invited: true }]);
      expect(await invitations.until('"type":"invited"')).toContain(`"channel":"${channel}"`);
      await invitations.close();

      const verifier = new TokenVerifier(TEST_LIVEKIT.apiKey, TEST_LIVEKIT.apiSecret);
      for (const guest of guests.slice(0, 3)) {
        if (guest !== guests[0]) await creator.caller.stage.invite({ username: guest.user.username! });
        const accepted = await call(lane, "mutation", "stage.accept", { username: channel }, guest);
        expect(accepted.status).toBe(200);
        const { token, identity } = accepted.body.result!.data.json as { token: string; identity: string };
        expect(identity).toBe(`stage-${guest.user.id}`);
        expect((await verifier.verify(token)).video).toMatchObject({ canPublishSources: ["camera", "microphone"], canPublishData: false });
      }
      const full = await invite(creator, guests[3]!);
      expect([full.status, full.body.error?.json.data.code]).toEqual([409, "CONFLICT"]);
      const list = await call(lane, "query", "stage.list", { username: channel }, null);
      expect((list.body.result?.data.json as unknown[]).length).toBe(3);
    });
  }
});
