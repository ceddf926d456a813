import { chatCooldown } from "@onair/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PublicStream } from "../services/live/streams";
import type { MultiplexedEvent } from "../services/shared/multiplex";
import { createTestKit, trpcError, uniqueName, type SignedUp, type TestKit } from "../test/helpers";
import { subscribe } from "../test/subscribe";

type Tracked = MultiplexedEvent & { cursors: string };

/** `mux.onMany` as `headers`, each event with the stream's own id (the cursors) beside it. */
function many(
  kit: TestKit,
  headers: Headers | undefined,
  subscriptions: { key: string; path: string; input?: unknown }[],
  lastEventId?: string,
) {
  return subscribe<MultiplexedEvent>(kit, headers, (caller) => caller.mux.onMany({ subscriptions, lastEventId }));
}

const dataOf = (events: MultiplexedEvent[], key: string) =>
  events.filter((e): e is Extract<MultiplexedEvent, { kind: "data" }> => e.key === key && e.kind === "data");

describe("mux.onMany: several subscriptions on one stream", () => {
  let kit: TestKit;
  let creator: SignedUp;
  let fan: SignedUp;
  let channel: string;

  beforeAll(async () => {
    kit = await createTestKit();
    channel = uniqueName("mux");
    creator = await kit.makeCreator(channel);
    fan = await kit.signUp({ username: uniqueName("muxfan") });
    await creator.caller.stream.goLive();
  });
  afterAll(() => kit?.close());

  it("carries each one's events under its key, tracked ones with their id; one refused leaves the rest running", async () => {
    const stream = many(kit, fan.headers, [
      { key: "chat", path: "chat.onMessage", input: { username: channel } },
      { key: "status", path: "stream.onStatus", input: { username: channel } },
      { key: "studio", path: "stream.onActivity" }, // a viewer's: refused, as alone
      { key: "query", path: "account.me" }, // not a subscription
      { key: "self", path: "mux.onMany", input: { subscriptions: [] } },
      { key: "proto", path: "__proto__" },
    ]);
    const status = await stream.next((e) => e.key === "status" && e.kind === "data", "the channel's status at once");
    expect(status).toMatchObject({ data: { username: channel, isLive: true } });
    const errors = Object.fromEntries<string>(
      await Promise.all(
        ["studio", "query", "self", "proto"].map(async (key) => {
          const event = await stream.next((e) => e.key === key, `${key}'s refusal`);
          return [key, event.kind === "error" ? (event.error as { data: { code: string } }).data.code : event.kind] as const;
        }),
      ),
    );
    expect(errors).toEqual({ studio: "FORBIDDEN", query: "NOT_FOUND", self: "NOT_FOUND", proto: "NOT_FOUND" });

    await kit.db.delete(chatCooldown);
    const sent = await fan.caller.chat.send({ username: channel, text: "one stream for all" });
    const message = await stream.next((e) => e.key === "chat" && e.kind === "data", "the chat message");
    expect(message).toMatchObject({ kind: "data", id: String(sent.id), data: { id: sent.id, text: "one stream for all" } });
    expect(dataOf(stream.received, "studio")).toEqual([]);
    await stream.stop();
  });

  it("listens to each subscription before the stream starts: a change before the first read still arrives", async () => {
    const other = uniqueName("muxlate");
    const late = await kit.makeCreator(other);
    // A watcher of its own shows when the change has reached this instance's listeners.
    const status = subscribe<PublicStream>(kit, undefined, (caller) => caller.stream.onStatus({ username: other }));
    await status.next((view) => view.username === other, "the status at once");
    const following = subscribe<MultiplexedEvent>(kit, fan.headers, async (caller) => {
      const iterable = await caller.mux.onMany({
        subscriptions: [{ key: "following", path: "stream.onLiveChange", input: { usernames: [other] } }],
      });
      // Started (what the client hears as `started`) but not read yet: the channel goes live now.
      await late.caller.stream.goLive();
      await status.next((view) => view.isLive, "the go-live reaching the watcher");
      return iterable;
    });
    const change = await following.next((e) => e.kind === "data", "the go-live, made before the first read");
    expect(change).toMatchObject({ key: "following", data: { username: other, isLive: true } });
    await Promise.all([status.stop(), following.stop()]);
  });

  it("resumes every tracked subscription from the cursors a reconnecting client sends as lastEventId", async () => {
    await kit.db.delete(chatCooldown);
    const first = await fan.caller.chat.send({ username: channel, text: "before the drop" });
    // What the stream's last event id said: chat had got as far as `first`.
    const cursors = JSON.stringify({ chat: String(first.id) });
    await kit.db.delete(chatCooldown);
    const missed = await creator.caller.chat.send({ username: channel, text: "while reconnecting" });
    const resumed = many(kit, fan.headers, [{ key: "chat", path: "chat.onMessage", input: { username: channel } }], cursors);
    const replayed = await resumed.next((e) => e.key === "chat" && e.kind === "data", "the missed message");
    expect(replayed).toMatchObject({ id: String(missed.id), data: { text: "while reconnecting" } });
    expect(dataOf(resumed.received, "chat").map((e) => e.id)).toEqual([String(missed.id)]);
    await resumed.stop();
  });

  it("tags events with the cursors of all (the SSE id), so a reconnect resumes each", async () => {
    const raw = subscribe<Tracked>(kit, fan.headers, async (caller) => {
      const iterable = await caller.mux.onMany({ subscriptions: [{ key: "c", path: "chat.onMessage", input: { username: channel } }] });
      return (async function* () {
        for await (const value of iterable as AsyncIterable<unknown>) {
          const [id, data] = value as [string, MultiplexedEvent];
          yield { ...data, cursors: id };
        }
      })();
    });
    await kit.db.delete(chatCooldown);
    const sent = await fan.caller.chat.send({ username: channel, text: "cursor check" });
    const event = await raw.next((e) => e.kind === "data", "the message");
    expect(JSON.parse(event.cursors)).toEqual({ c: String(sent.id) });
    await raw.stop();
  });

  it("refuses a bad list as BAD_REQUEST naming the field, and needs nothing a lone subscription does not", async () => {
    const tooMany = Array.from({ length: 21 }, (_, i) => ({ key: `k${i}`, path: "stream.onStatus", input: { username: channel } }));
    const errors = await Promise.all([
      trpcError(kit.anonymous.mux.onMany({ subscriptions: tooMany })),
      trpcError(kit.anonymous.mux.onMany({ subscriptions: [] })),
      trpcError(
        kit.anonymous.mux.onMany({
          subscriptions: [
            { key: "a", path: "stream.onStatus" },
            { key: "a", path: "stream.onStatus" },
          ],
        }),
      ),
    ]);
    for (const error of errors) {
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.message).toMatch(/subscriptions/);
    }
    const guest = many(kit, undefined, [
      { key: "status", path: "stream.onStatus", input: { username: channel } },
      { key: "bell", path: "notification.onNew" },
    ]);
    await guest.next((e) => e.key === "status" && e.kind === "data", "a guest's status");
    const bell = await guest.next((e) => e.key === "bell", "the bell's refusal");
    expect(bell).toMatchObject({ kind: "error", error: { data: { code: "UNAUTHORIZED" } } });
    await guest.stop();
  });
});
