import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHAT_CHANNEL, type ChatEvent } from "@onair/api";
import { chatCooldown, notify, type DatabaseHandle } from "@onair/db";
import { createTestDatabase, testDatabaseUrl, type TestDatabaseHandle } from "@onair/db/testing";
import { createOnAirClient } from "@onair/client";
import { signUp, startServer } from "../testing";

type Event = ChatEvent;

function subscribeChat(url: string, username: string, lastEventId?: string, token?: string) {
  const received: { id: string; data: Event }[] = [];
  const waiters = new Set<() => void>();
  const client = createOnAirClient({ url, token });
  const push = (event: { id: string; data: Event }) => {
    received.push(event);
    for (const check of waiters) check();
  };
  const subscription = client.chat.onMessage.subscribe(
    { username, lastEventId },
    { onData: (event) => push(event), onError: (error) => push({ id: "error", data: error as never }) },
  );
  /** Resolves once `predicate` holds, checked as each event arrives. */
  const until = (predicate: () => boolean, timeoutMs = 30_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!predicate()) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out; received ${JSON.stringify(received)}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  /** What was received, without `live`'s probes. */
  const events = () => received.filter((event) => !isProbe(event));
  return { received, events, until, stop: () => subscription.unsubscribe() };
}

/** A deletion of no message: what `live` sends down the chat channel to learn that a subscriber listens. */
const isProbe = (event: { data: Event }) => event.data.type === "deleted" && event.data.id === 0;

const texts = (events: { data: Event }[]) =>
  events.map((e) => (e.data.type === "message" ? e.data.text : e.data.type === "deleted" ? `deleted:${e.data.id}` : e.data.type));

describe(`chat.onMessage across two instances (${testDatabaseUrl ? "PostgreSQL" : "PGlite"})`, () => {
  let handle: TestDatabaseHandle;
  let second: DatabaseHandle;
  let a: Awaited<ReturnType<typeof startServer>>;
  let b: Awaited<ReturnType<typeof startServer>>;
  let host: ReturnType<typeof createOnAirClient>;
  let fan: ReturnType<typeof createOnAirClient>;
  let hostToken: string;

  beforeAll(async () => {
    handle = await createTestDatabase();
    second = handle.openAnother();
    a = await startServer(handle);
    b = await startServer(second);
    const admin = createOnAirClient({ url: a.url, token: await signUp(a.url, "chief") });
    hostToken = await signUp(a.url, "hoster");
    host = createOnAirClient({ url: a.url, token: hostToken });
    fan = createOnAirClient({ url: b.url, token: await signUp(b.url, "chatfan") });
    await host.creator.requestApproval.mutate();
    await admin.admin.approveCreator.mutate({ username: "hoster" });
  });
  /**
   * Resolves once `sub` receives live events from the chat channel: the server registers a
   * subscriber a moment after the SSE connection opens, so probes are NOTIFYed until one arrives.
   */
  async function live(sub: ReturnType<typeof subscribeChat>) {
    const probe = JSON.stringify({ streamId: (await host.stream.mine.query())!.id, event: { type: "deleted", id: 0 } });
    const arrived = sub.until(() => sub.received.some(isProbe));
    let done = false;
    void arrived.finally(() => (done = true)).catch(() => {});
    while (!done) {
      await notify(handle.db, CHAT_CHANNEL, probe);
      await Promise.race([arrived, new Promise((resolve) => setTimeout(resolve, 50))]).catch(() => {}); // then probe again
    }
    await arrived;
  }

  /** As if the rate limit's window had passed for every sender: their last sends move to long ago. */
  const windowPasses = () => handle.db.update(chatCooldown).set({ lastSentAt: new Date(0) });

  afterAll(async () => {
    await a?.app.close();
    await b?.app.close();
    await second?.close();
    await handle?.close();
  });

  it("a message sent through A reaches a subscriber on B; a deletion follows it", async () => {
    // The creator watches: restriction events go only to the channel's moderators (and the user).
    const sub = subscribeChat(b.url, "hoster", undefined, hostToken);
    try {
      await live(sub);
      const sent = await host.chat.send.mutate({ username: "hoster", text: "hello B" });
      await sub.until(() => sub.events().length >= 1);
      expect(sub.events()[0]).toMatchObject({
        id: String(sent.id),
        data: { text: "hello B", user: { username: "hoster", badge: "creator" } },
      });
      const [message] = sub.events();
      expect(message!.data.type === "message" && message!.data.createdAt).toBeInstanceOf(Date);
      await host.moderation.deleteMessage.mutate({ channel: "hoster", messageId: sent.id });
      await sub.until(() => sub.events().length >= 2);
      expect(texts(sub.events())).toEqual(["hello B", `deleted:${sent.id}`]);
      await host.moderation.timeout.mutate({ channel: "hoster", username: "chatfan", minutes: 5 });
      await sub.until(() => sub.events().length >= 3);
      expect(sub.events()[2]!.data).toMatchObject({ type: "restricted", kind: "timeout" });
      await host.moderation.unban.mutate({ channel: "hoster", username: "chatfan" });
      await sub.until(() => sub.events().length >= 4);
      expect(sub.events()[3]!.data).toMatchObject({ type: "restricted", kind: null });
    } finally {
      sub.stop();
    }
  });

  it("resuming with lastEventId replays exactly what came after it, then continues live", async () => {
    const first = await fan.chat.send.mutate({ username: "hoster", text: "m1" });
    await windowPasses();
    await fan.chat.send.mutate({ username: "hoster", text: "m2" });
    await windowPasses();
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
