import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stream } from "@onair/db";
import { createTestKit, uniqueName, type SignedUp, type TestKit } from "../../test/helpers";
import { waitFor } from "../../test/subscribe";
import { authorOf, MAX_REPLAY, postChatEntry } from "./chat";
import { publishChatEvent, type ChatEvent } from "./chat-bus";
import { Handover, WITH_HANDOVERS, type DirectSink, type Entry, type LiveStream } from "../shared/direct";

describe("chat.onMessage replay is bounded", () => {
  let kit: TestKit;
  let creator: SignedUp;
  let channel: string;

  beforeAll(async () => {
    kit = await createTestKit();
    creator = await kit.makeCreator(uniqueName("host"));
    channel = creator.user.username!;
    await creator.caller.stream.upsert({ title: "Replay" });
  });
  afterAll(() => kit?.close());

  async function firstEvents(lastEventId: string, count: number) {
    const iterable = await kit.anonymous.chat.onMessage({ username: channel, lastEventId });
    const events: { id: string; data: { type: string; id?: number } }[] = [];
    // Through a caller, a tracked event is tRPC's `[id, data]` envelope.
    for await (const [id, data] of iterable as AsyncIterable<[string, { type: string; id?: number }]>) {
      events.push({ id, data });
      if (events.length >= count) break; // ends the subscription
    }
    return events;
  }

  it(`replays at most ${MAX_REPLAY} messages; beyond that one reset event says to reload history`, async () => {
    const [row] = await kit.db.select({ id: stream.id }).from(stream);
    const insert = (n: number) =>
      kit.db.execute(sql`insert into chat_message (stream_id, user_id, text)
        select ${row!.id}, ${creator.user.id}, 'm' || g from generate_series(1, ${n}) g`);
    await insert(3);
    const { items } = await kit.anonymous.chat.history({ username: channel, limit: 5 });
    const [first, second, third] = items;
    const replay = await firstEvents(String(first!.id), 2);
    expect(replay.map((e) => e.data.id)).toEqual([second!.id, third!.id]);

    await insert(MAX_REPLAY);
    const [newest] = (await kit.anonymous.chat.history({ username: channel, limit: 1 })).items;
    const [reset] = await firstEvents(String(first!.id), 1);
    expect(reset).toEqual({ id: String(newest!.id), data: { type: "reset" } });
    // Exactly MAX_REPLAY missed is still replayed in full.
    const full = await firstEvents(String(newest!.id - MAX_REPLAY), MAX_REPLAY);
    expect(full).toHaveLength(MAX_REPLAY);
    expect(full.at(-1)!.data.id).toBe(newest!.id);
  });

  it("after the bus was deaf it replays what was missed the same way (past the limit one reset), then carries on live", async () => {
    const [row] = await kit.db.select({ id: stream.id }).from(stream);
    // Rows written behind the bus's back: no NOTIFY, as if the bus was deaf when they committed.
    const insert = (n: number) =>
      kit.db.execute(sql`insert into chat_message (stream_id, user_id, text)
        select ${row!.id}, ${creator.user.id}, 'deaf ' || g from generate_series(1, ${n}) g`);
    const live = (await kit.anonymous.chat.onMessage({ username: channel }))[Symbol.asyncIterator]() as AsyncIterator<
      [string, { type: string; id?: number; text?: string }],
      undefined
    >;
    const first = live.next(); // the subscription starts listening at its first read
    await waitFor(() => kit.services.chat.listenerCount(row!.id) > 0, "the subscription");
    await insert(2);
    kit.services.chat.resync();
    const missed = [(await first).value!, (await live.next()).value!];
    expect(missed.map(([, data]) => data.text)).toEqual(["deaf 1", "deaf 2"]);
    expect(missed.map(([id]) => id)).toEqual(missed.map(([, data]) => String(data.id)));

    await insert(MAX_REPLAY + 1);
    kit.services.chat.resync();
    const [newest] = (await kit.anonymous.chat.history({ username: channel, limit: 1 })).items;
    const [id, reset] = (await live.next()).value!;
    expect([id, reset]).toEqual([String(newest!.id), { type: "reset" }]);
    await creator.caller.chat.send({ username: channel, text: "heard live" });
    expect((await live.next()).value![1]).toMatchObject({ type: "message", text: "heard live" });
    await live.return?.();
  });

  it("fed directly (the fast lane's way): every message once, in order, with the same ids; a team event, a full client and a deaf bus hand it back", async () => {
    const [row] = await kit.db.select({ id: stream.id }).from(stream);
    const post = (text: string) =>
      postChatEntry(kit.db, { id: row!.id, ownerId: creator.user.id }, authorOf(creator.user), { kind: "message", text });
    const label = (event: ChatEvent) => (event.type === "message" ? event.text : event.type);
    const got: string[] = [];
    const client = { full: false, writes: 0 };
    const sink: DirectSink = {
      format: (entries: readonly Entry[]) => entries.map((entry) => `${entry.position} ${label(entry.value as ChatEvent)}`).join("\n"),
      write: (chunk) => {
        if (client.full) return false;
        client.writes++;
        got.push(...String(chunk).split("\n"));
        return true;
      },
    };
    const live = (await kit.anonymous.chat.onMessage({ username: channel })) as unknown as LiveStream<[string, ChatEvent]>;
    const feed = live[WITH_HANDOVERS]();
    let stop = false;
    const reading = (async () => {
      for await (const value of feed) {
        if (stop) break;
        if (value instanceof Handover) value.attach(sink);
        else got.push(`${value[0]} ${label(value[1])}`);
      }
    })();
    const heard = (text: string) => waitFor(() => got.some((line) => line.endsWith(` ${text}`)), text);
    await waitFor(() => kit.services.chat.listenerCount(row!.id) > 0, "the subscription");

    const sent = [await post("d1"), await post("d2"), await post("d3")];
    await heard("d3");
    expect(client.writes).toBeGreaterThan(0); // written directly after the first
    // A team event the guest must not see: the stream judges it, then takes over again.
    await publishChatEvent(kit.db, row!.id, { type: "moderator", userId: creator.user.id, username: channel, added: true });
    sent.push(await post("d4"));
    await heard("d4");
    client.full = true;
    sent.push(await post("d5")); // not written: the stream catches up from the table instead
    await heard("d5");
    client.full = false;
    await kit.db.execute(sql`insert into chat_message (stream_id, user_id, text) values (${row!.id}, ${creator.user.id}, 'd6')`);
    kit.services.chat.resync(); // d6 was committed while the bus was deaf
    await heard("d6");
    sent.push(await post("d7")); // where the channel is is learnt again from it
    await heard("d7");
    const writes = client.writes;
    sent.push(await post("d8"));
    await heard("d8");
    expect(client.writes).toBe(writes + 1);
    stop = true;
    kit.services.chat.resync(); // wakes the stream: it ends at what it yields next
    await reading;

    const [d6] = (await kit.anonymous.chat.history({ username: channel, limit: 3 })).items.filter((item) => item.text === "d6");
    const ids = [...sent.slice(0, 5).map((message) => message!.id), d6!.id, ...sent.slice(5).map((message) => message!.id)];
    expect(got).toEqual(ids.map((id, n) => `${id} d${n + 1}`));
  });
});
