import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stream } from "@onair/db";
import { createTestKit, uniqueName, type SignedUp, type TestKit } from "../../test/helpers";
import { waitFor } from "../../test/subscribe";
import { MAX_REPLAY } from "./chat";

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
});
