import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@onair/db";
import { createTestDatabase, testDatabaseUrl, type TestDatabaseHandle } from "@onair/db/testing";
import { createOnAirClient, type RouterOutputs } from "./index";
import { signUp, startServer } from "./test-server";

type Event = RouterOutputs["chat"]["history"]["items"][number] | { type: "deleted"; id: number } | { type: "restricted"; kind: string | null };

function subscribeChat(url: string, username: string, lastEventId?: string) {
  const received: { id: string; data: Event }[] = [];
  const client = createOnAirClient({ url });
  const subscription = client.chat.onMessage.subscribe(
    { username, lastEventId },
    { onData: (event) => received.push(event as { id: string; data: Event }), onError: (error) => received.push({ id: "error", data: error as never }) },
  );
  const until = async (predicate: () => boolean, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out; received ${JSON.stringify(received)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return { received, until, stop: () => subscription.unsubscribe() };
}

const texts = (events: { data: Event }[]) =>
  events.map((e) => (e.data.type === "message" ? e.data.text : e.data.type === "deleted" ? `deleted:${e.data.id}` : e.data.type));

describe(`chat.onMessage across two instances (${testDatabaseUrl ? "PostgreSQL" : "PGlite"})`, () => {
  let handle: TestDatabaseHandle;
  let second: DatabaseHandle;
  let a: Awaited<ReturnType<typeof startServer>>;
  let b: Awaited<ReturnType<typeof startServer>>;
  let host: ReturnType<typeof createOnAirClient>;
  let fan: ReturnType<typeof createOnAirClient>;

  beforeAll(async () => {
    handle = await createTestDatabase();
    second = handle.openAnother();
    a = await startServer(handle);
    b = await startServer(second);
    const admin = createOnAirClient({ url: a.url, token: await signUp(a.url, "chief") });
    host = createOnAirClient({ url: a.url, token: await signUp(a.url, "hoster") });
    fan = createOnAirClient({ url: b.url, token: await signUp(b.url, "chatfan") });
    await host.creator.requestApproval.mutate();
    await admin.admin.approveCreator.mutate({ username: "hoster" });
  });
  afterAll(async () => {
    await a?.app.close();
    await b?.app.close();
    await second?.close();
    await handle?.close();
  });

  it("a message sent through A reaches a subscriber on B; a deletion follows it", async () => {
    const sub = subscribeChat(b.url, "hoster");
    try {
      await new Promise((resolve) => setTimeout(resolve, 300)); // let the SSE connection open
      const sent = await host.chat.send.mutate({ username: "hoster", text: "hello B" });
      await sub.until(() => sub.received.length >= 1);
      expect(sub.received[0]).toMatchObject({ id: String(sent.id), data: { text: "hello B", user: { username: "hoster", badge: "creator" } } });
      expect(sub.received[0]!.data.type === "message" && sub.received[0]!.data.createdAt).toBeInstanceOf(Date);
      await host.moderation.deleteMessage.mutate({ channel: "hoster", messageId: sent.id });
      await sub.until(() => sub.received.length >= 2);
      expect(texts(sub.received)).toEqual(["hello B", `deleted:${sent.id}`]);
      await host.moderation.timeout.mutate({ channel: "hoster", username: "chatfan", minutes: 5 });
      await sub.until(() => sub.received.length >= 3);
      expect(sub.received[2]!.data).toMatchObject({ type: "restricted", kind: "timeout" });
      await host.moderation.unban.mutate({ channel: "hoster", username: "chatfan" });
      await sub.until(() => sub.received.length >= 4);
      expect(sub.received[3]!.data).toMatchObject({ type: "restricted", kind: null });
    } finally {
      sub.stop();
    }
  });

  it("resuming with lastEventId replays exactly what came after it, then continues live", async () => {
    const first = await fan.chat.send.mutate({ username: "hoster", text: "m1" });
    await new Promise((resolve) => setTimeout(resolve, 550));
    await fan.chat.send.mutate({ username: "hoster", text: "m2" });
    await new Promise((resolve) => setTimeout(resolve, 550));
    await fan.chat.send.mutate({ username: "hoster", text: "m3" });
    const sub = subscribeChat(b.url, "hoster", String(first.id));
    try {
      await sub.until(() => sub.received.length >= 2);
      expect(texts(sub.received)).toEqual(["m2", "m3"]);
      await host.chat.send.mutate({ username: "hoster", text: "m4" });
      await sub.until(() => sub.received.length >= 3);
      expect(texts(sub.received)).toEqual(["m2", "m3", "m4"]);
      const ids = sub.received.map((e) => Number(e.id));
      expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    } finally {
      sub.stop();
    }
  });
});
