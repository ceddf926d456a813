import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestKit, uniqueName, type SignedUp, type TestKit } from "@onair/api/testing";
import { buildApp } from "./app";
import { testEnv } from "./test/env";
import { LANES, laneCaller, type Lane } from "./test/lanes";

/**
 * Issue #25 over HTTP, on both paths (the fast lane on a listening server, Fastify with tRPC's adapter):
 * `moderation.log`, the rules of `moderation.timeout`, `moderation.onChange` as SSE (a second server
 * runs with TRPC_FAST_LANE=off for the adapter's stream), and `chat.react`.
 */
type App = Awaited<ReturnType<typeof buildApp>>;
let kit: TestKit;
let app: App;
let adapterOnly: App;
let urls: Record<Lane, string>;
let call: ReturnType<typeof laneCaller>;
let admin: SignedUp;

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
  admin = await kit.makeAdmin();
});
afterAll(async () => {
  await app?.close();
  await adapterOnly?.close();
  await kit?.close();
});

/** A channel with a moderator and a viewer to moderate. */
async function team() {
  const creator = await kit.makeCreator(uniqueName("hchan"));
  const mod = await kit.signUp({ username: uniqueName("hmod") });
  const troll = await kit.signUp({ username: uniqueName("htroll") });
  const channel = creator.user.username!;
  await creator.caller.moderation.addModerator({ channel, username: mod.user.username! });
  return { creator, mod, troll, channel };
}

/** An SSE stream read as it comes: its status, and the frames so far. */
async function openStream(base: string, path: string, input: unknown, who: SignedUp | null) {
  const controller = new AbortController();
  const headers: Record<string, string> = { accept: "text/event-stream", ...(who && { authorization: `Bearer ${who.token}` }) };
  const query = encodeURIComponent(JSON.stringify(superjson.serialize(input)));
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
    /** Resolves with the text so far once `match` is in it. */
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

describe("moderation over HTTP", () => {
  for (const lane of LANES) {
    it(`${lane}: moderation.log for the creator and moderators; others FORBIDDEN, an unknown channel NOT_FOUND`, async () => {
      const { creator, mod, troll, channel } = await team();
      await mod.caller.moderation.timeout({ channel, username: troll.user.username!, minutes: 60, reason: "spam" });
      for (const who of [creator, mod]) {
        const answer = await call(lane, "query", "moderation.log", { channel }, who);
        expect(answer.status).toBe(200);
        const log = answer.body.result?.data.json as { items: { actor: string; target: string; action: string; reason?: string }[] };
        expect(log.items.map(({ actor, target, action, reason }) => [actor, target, action, reason])).toEqual([
          [mod.user.username, troll.user.username, "timeout", "spam"],
          [channel, mod.user.username, "moderator_added", undefined],
        ]);
      }
      expect((await call(lane, "query", "moderation.log", { channel }, troll)).status).toBe(403);
      expect((await call(lane, "query", "moderation.log", { channel }, null)).status).toBe(401);
      const unknown = await call(lane, "query", "moderation.log", { channel: "no_such_channel_here" }, creator);
      expect([unknown.status, unknown.body.error?.json.data.code]).toEqual([404, "NOT_FOUND"]);
    });

    it(`${lane}: a moderator's timeout of the creator or a site admin is FORBIDDEN; minutes are required`, async () => {
      const { mod, troll, channel } = await team();
      for (const username of [channel, admin.user.username]) {
        const answer = await call(lane, "mutation", "moderation.timeout", { channel, username, minutes: 10, reason: "no" }, mod);
        expect([answer.status, answer.body.error?.json.data.code]).toEqual([403, "FORBIDDEN"]);
      }
      const missing = await call(lane, "mutation", "moderation.timeout", { channel, username: troll.user.username }, mod);
      expect(missing.status).toBe(400);
      expect(missing.body.error?.json.message).toContain("minutes");
      const done = await call(lane, "mutation", "moderation.timeout", { channel, username: troll.user.username, minutes: 1440 }, mod);
      expect(done.status).toBe(200);
      const log = (await mod.caller.moderation.log({ channel })).items;
      expect(log.map((e) => [e.action, e.minutes])).toEqual([
        ["timeout", 1440],
        ["moderator_added", undefined],
      ]);
    });

    it(`${lane}: moderation.onChange streams each new entry to a moderator, tracked by id; others are refused`, async () => {
      const { creator, mod, troll, channel } = await team();
      const stream = await openStream(urls[lane], "moderation.onChange", { channel }, mod);
      expect(stream.status).toBe(200);
      await stream.until("event: connected");
      await creator.caller.moderation.timeout({ channel, username: troll.user.username!, minutes: 10, reason: "caps lock" });
      const [entry] = (await creator.caller.moderation.log({ channel })).items;
      const text = await stream.until('"reason":"caps lock"');
      expect(text).toContain(`id: ${entry!.id}\n`);
      expect(text).toContain(`"actor":"${channel}"`);
      await stream.close();

      const refused = await openStream(urls[lane], "moderation.onChange", { channel }, troll);
      // As tRPC streams a refusal: the stream opens, then carries the error (the same on both paths).
      expect(await refused.until('"code":"FORBIDDEN"')).toContain("event: serialized-error\ndata:");
      await refused.close();
    });

    it(`${lane}: chat.react answers ok, refuses a guest, a banned user, an unknown reaction and more than 5 a second`, async () => {
      const { creator, troll, channel } = await team();
      const viewer = await kit.signUp({ username: uniqueName("hfan") });
      const guest = await openStream(urls[lane], "chat.onMessage", { username: channel }, null);
      await guest.until("event: connected");
      const ok = await call(lane, "mutation", "chat.react", { username: channel, reaction: "fire" }, viewer);
      expect([ok.status, ok.body.result?.data.json]).toEqual([200, { ok: true }]);
      await guest.until('"fire":1');
      await guest.close();

      expect((await call(lane, "mutation", "chat.react", { username: channel, reaction: "fire" }, null)).status).toBe(401);
      await creator.caller.moderation.ban({ channel, username: troll.user.username! });
      expect((await call(lane, "mutation", "chat.react", { username: channel, reaction: "heart" }, troll)).status).toBe(403);
      const unknown = await call(lane, "mutation", "chat.react", { username: channel, reaction: "poop" }, viewer);
      expect([unknown.status, unknown.body.error?.json.message]).toEqual([400, expect.stringContaining("reaction")]);

      const burst = await Promise.all(
        Array.from({ length: 12 }, () => call(lane, "mutation", "chat.react", { username: channel, reaction: "wow" }, creator)),
      );
      expect(burst.filter((answer) => answer.status === 429).length).toBeGreaterThan(0);
      expect(burst.every((answer) => answer.status === 200 || answer.status === 429)).toBe(true);
    });
  }
});
