import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestKit, uniqueName, type SignedUp, type TestKit } from "@onair/api/testing";
import { until } from "@onair/db/testing";
import { buildApp } from "./app";
import { testEnv } from "./test/env";
import { LANES, laneCaller, postWebhook, type Lane } from "./test/lanes";

/**
 * Go-live alerts over HTTP, on both paths (the fast lane, and tRPC's Fastify adapter with the lane off):
 * a channel going live through LiveKit's signed webhooks reaches a follower's open `notification.onNew`,
 * the list and markRead; the alert mail goes through a real SMTP server with its one-click unsubscribe.
 */
type App = Awaited<ReturnType<typeof buildApp>>;
const mails: { to: string; raw: string }[] = [];

let kit: TestKit;
let smtp: SMTPServer;
const servers = {} as Record<Lane, { app: App; url: string }>;
let call: ReturnType<typeof laneCaller>;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      let raw = "";
      stream.on("data", (chunk: Buffer) => (raw += chunk.toString()));
      stream.on("end", () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(","), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  kit = await createTestKit();
  for (const lane of LANES) {
    const env = testEnv({ LIVEKIT_API_URL: kit.livekit.apiUrl, SMTP_URL: smtpUrl, TRPC_FAST_LANE: lane === "fast" ? "on" : "off" });
    const app = await buildApp({ env, database: kit.handle, logger: false, alertIntervalMs: 50 });
    servers[lane] = { app, url: await app.listen({ port: 0, host: "127.0.0.1" }) };
  }
  call = laneCaller(servers.fast.app, servers.fast.url);
});
afterAll(async () => {
  for (const lane of LANES) await servers[lane]?.app.close();
  await kit?.close();
  await new Promise<void>((resolve) => (smtp ? smtp.close(resolve) : resolve()));
});

/** The creator goes live and LiveKit reports its track published (a signed webhook): media flows. */
async function goLiveThroughLiveKit(creator: SignedUp) {
  const { roomName } = await creator.caller.stream.goLive();
  expect(
    await postWebhook(servers.fast.app, { event: "track_published", room: roomName, identity: creator.user.id, track: "TR_cam" }),
  ).toBe("applied");
}

/** An SSE stream's frames as text, as a browser's EventSource reads them. */
async function openStream(url: string, who: SignedUp | null) {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: "text/event-stream", ...(who ? { authorization: `Bearer ${who.token}` } : {}) },
    signal: controller.signal,
  });
  let text = "";
  const reading = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of response.body!) text += decoder.decode(chunk as Uint8Array);
  })().catch(() => {});
  return { response, text: () => text, close: async () => (controller.abort(), await reading) };
}

describe("go-live alerts over HTTP", () => {
  for (const lane of LANES) {
    it(`${lane}: setAlerts, onNew live as the channel goes live through LiveKit, list and markRead`, async () => {
      const creator = await kit.makeCreator(uniqueName("star"));
      const fan = await kit.signUp({ username: uniqueName("fan") });
      const username = creator.user.username!;
      const path = "/trpc/notification.onNew";
      const guest = await openStream(`${servers[lane].url}${path}`, null);
      // a subscription's refusal is an error frame (both paths answer it the same way)
      await until(
        () => guest.text().includes('"code":"UNAUTHORIZED"'),
        10_000,
        () => guest.text(),
      );
      expect(guest.text()).toMatch(/^event: serialized-error$/m);
      await guest.close();

      expect((await call(lane, "mutation", "follow.setAlerts", { username, inApp: true, email: false }, fan)).status).toBe(403);
      await fan.caller.follow.follow({ username });
      const set = await call(lane, "mutation", "follow.setAlerts", { username, inApp: true, email: false }, fan);
      expect(set.body.result?.data.json).toEqual({ inApp: true, email: false });

      const stream = await openStream(`${servers[lane].url}${path}`, fan);
      expect(stream.response.status).toBe(200);
      await goLiveThroughLiveKit(creator);
      await until(
        () => stream.text().includes(`"username":"${username}"`),
        20_000,
        () => stream.text(),
      );
      expect(stream.text()).toMatch(/\nid: \d+\n/);
      await stream.close();

      const list = await call(lane, "query", "notification.list", {}, fan);
      const page = list.body.result?.data.json as { items: { id: string; kind: string; channel: { username: string } }[]; unread: number };
      expect(page.unread).toBe(1);
      expect(page.items.map((i) => [i.kind, i.channel.username])).toEqual([["live", username]]);
      expect((await call(lane, "query", "notification.list", {}, null)).status).toBe(401);
      const read = await call(lane, "mutation", "notification.markRead", { ids: [page.items[0]!.id] }, fan);
      expect(read.body.result?.data.json).toEqual({ unread: 0 });
      await creator.caller.stream.end();
    });
  }

  it("an alert mail carries a one-click unsubscribe that works without signing in; a forged token is refused", async () => {
    const creator = await kit.makeCreator(uniqueName("mailer"));
    const reader = await kit.signUp({ username: uniqueName("reader") });
    const username = creator.user.username!;
    await reader.caller.follow.follow({ username });
    await reader.caller.follow.setAlerts({ username, inApp: false, email: true });
    await goLiveThroughLiveKit(creator);
    await until(
      () => mails.some((m) => m.to === reader.user.email),
      20_000,
      () => "the alert mail",
    );
    const raw = mails.find((m) => m.to === reader.user.email)!.raw.replace(/\r?\n[ \t]+/g, " ");
    expect(raw).toMatch(new RegExp(`^Subject: ${username} is live`, "m"));
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    const link = new URL(/^List-Unsubscribe: <([^>]+)>\r?$/m.exec(raw)![1]!);
    expect(link.origin).toBe("http://localhost:3000");
    expect(link.pathname).toBe("/api/alerts/unsubscribe");
    expect(mails.filter((m) => m.to === reader.user.email)).toHaveLength(1);

    const post = (token: string) =>
      servers.adapter.app.inject({
        method: "POST",
        url: `${link.pathname}?token=${encodeURIComponent(token)}`,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        payload: "List-Unsubscribe=One-Click",
      });
    const token = link.searchParams.get("token")!;
    const [body, mac] = token.split(".");
    const other = Buffer.from(`${reader.user.id}\nsomeone-else`).toString("base64url");
    for (const forged of [`${body}.${mac!.slice(0, -2)}xx`, `${other}.${mac}`, body!, "", `${token}.x`]) {
      expect((await post(forged)).statusCode, forged).toBe(400);
    }
    expect((await reader.caller.follow.status({ username })).alerts).toEqual({ inApp: false, email: true });
    const page = await servers.fast.app.inject({ method: "GET", url: `${link.pathname}${link.search}` });
    expect(page.body).toMatch(/<form method="post"/);
    expect((await reader.caller.follow.status({ username })).alerts?.email).toBe(true); // a GET changes nothing
    const done = await post(token);
    expect(done.statusCode).toBe(200);
    expect(done.body).toMatch(/no more mail/);
    expect((await reader.caller.follow.status({ username })).alerts).toEqual({ inApp: false, email: false });
    await creator.caller.stream.end();
  });
});
