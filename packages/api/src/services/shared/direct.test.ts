import { describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@onair/db";
import { Fanout, RESYNC } from "./events";
import { DIRECT_CROWD, directTickMs, type DirectSink, type Entry } from "./direct";

/**
 * Values: "m<id>" a message (moves the key's position to id), "r…" anything else everyone gets,
 * "t…" what each stream must judge itself (a team event).
 */
async function started() {
  let onPayload: (payload: string) => void = () => {};
  let onListen: (() => void) | undefined;
  const listen: DatabaseHandle["listen"] = async (_channel, payloads, listening) => {
    onPayload = payloads;
    onListen = listening;
    listening?.();
    return async () => {};
  };
  const fanout = new Fanout<string>(
    listen,
    "test",
    (payload) => {
      const [key, value] = payload.split(":") as [string, string];
      return { key, value };
    },
    { positionOf: (value) => (value.startsWith("m") ? Number(value.slice(1)) : undefined) },
  );
  await fanout.start();
  return { fanout, send: (payload: string) => onPayload(payload), relisten: () => onListen?.() };
}

let formats = 0;
const format = (entries: readonly Entry[]) => {
  formats++;
  return entries.map((entry) => `${String(entry.value)}@${entry.position};`).join("");
};

/** A direct reader's sink: what it was written; `full` refuses writes (a client far behind). */
function sink() {
  const written: string[] = [];
  const state = { full: false };
  const target: DirectSink = { format, write: (chunk) => !state.full && written.push(String(chunk)) > 0 };
  return { target, written, state };
}

/** A subscription to `key` at `position`, and how to offer it to a sink (as chat-stream.ts does). */
function reader(fanout: Fanout<string>, key: string, position: number, signal?: AbortSignal) {
  const inbox = fanout.subscribe(key, signal);
  const state = { position };
  const offer = (to: DirectSink) =>
    fanout
      .handover(
        inbox,
        key,
        state.position,
        (entry) => (state.position = entry.position!),
        (value) => !value.startsWith("t"),
      )
      .attach(to);
  return { inbox, state, offer };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("Fanout: direct delivery", () => {
  it("writes a reader at the key's position each run in one chunk, formatted once for all, and moves its position", async () => {
    const { fanout, send } = await started();
    send("k:m1");
    const [a, b] = [reader(fanout, "k", 1), reader(fanout, "k", 1)];
    const [sa, sb] = [sink(), sink()];
    expect(a.offer(sa.target)).toBe(true);
    expect(b.offer(sb.target)).toBe(true);
    expect(fanout.listenerCount("k")).toBe(2);
    formats = 0;
    send("k:m2");
    send("k:r-hearts");
    send("k:m3");
    await turn();
    expect(sa.written).toEqual(["m2@2;r-hearts@2;m3@3;"]);
    expect(sb.written).toEqual(sa.written);
    expect(formats).toBe(1);
    expect([a.state.position, b.state.position]).toEqual([3, 3]);
    expect([a.inbox.size, b.inbox.size]).toEqual([0, 0]);
  });

  it("is refused while the inbox holds something, away from the key's position, or before any position is known", async () => {
    const { fanout, send } = await started();
    const early = reader(fanout, "k", 0);
    expect(early.offer(sink().target)).toBe(false); // no message heard yet
    send("k:m5");
    expect(early.offer(sink().target)).toBe(false); // "m5" waits in its inbox
    expect(reader(fanout, "k", 4).offer(sink().target)).toBe(false);
    expect(await early.inbox.next()).toEqual({ value: "m5", done: false });
    early.state.position = 5;
    expect(early.offer(sink().target)).toBe(true);
  });

  it("sends a reader back to its stream, in order, with a run holding what it must judge, and keeps the others", async () => {
    const { fanout, send } = await started();
    send("k:m1");
    const [judged, other] = [reader(fanout, "k", 1), reader(fanout, "k", 1)];
    const [sj, so] = [sink(), sink()];
    judged.offer(sj.target);
    other.offer(so.target);
    send("k:m2");
    send("k:t-team");
    await turn();
    send("k:m3");
    expect(sj.written).toEqual([]);
    expect(judged.state.position).toBe(1);
    expect([judged.inbox.size, fanout.listenerCount("k")]).toEqual([3, 2]);
    expect([await judged.inbox.next(), await judged.inbox.next(), await judged.inbox.next()].map((next) => next.value)).toEqual([
      "m2",
      "t-team",
      "m3",
    ]);
    // Every reader is sent back by such a run: the other one too.
    expect(so.written).toEqual([]);
    expect(other.inbox.size).toBe(3);
  });

  it("sends a reader whose client is far behind back with RESYNC (it catches up from the tables) and keeps writing to the rest", async () => {
    const { fanout, send } = await started();
    send("k:m1");
    const [slow, quick] = [reader(fanout, "k", 1), reader(fanout, "k", 1)];
    const [ss, sq] = [sink(), sink()];
    slow.offer(ss.target);
    quick.offer(sq.target);
    send("k:m2");
    await turn();
    ss.state.full = true;
    send("k:m3");
    await turn();
    send("k:m4");
    await turn();
    expect(ss.written).toEqual(["m2@2;"]);
    expect(slow.state.position).toBe(2);
    expect([await slow.inbox.next(), await slow.inbox.next()].map((next) => next.value)).toEqual([RESYNC, "m4"]);
    expect(sq.written).toEqual(["m2@2;", "m3@3;", "m4@4;"]);
  });

  it("when the bus was deaf: every reader back with what it was not written, then RESYNC; positions must be learnt again", async () => {
    const { fanout, send, relisten } = await started();
    send("k:m1");
    const a = reader(fanout, "k", 1);
    a.offer(sink().target);
    send("k:m2");
    relisten(); // before the run was written
    expect([await a.inbox.next(), await a.inbox.next()].map((next) => next.value)).toEqual(["m2", RESYNC]);
    expect(a.offer(sink().target)).toBe(false);
  });

  it("writes nothing more once the stream closed, and a reader taken on mid-run gets only what came after", async () => {
    const { fanout, send } = await started();
    send("k:m1");
    const abort = new AbortController();
    const gone = reader(fanout, "k", 1, abort.signal);
    const sg = sink();
    gone.offer(sg.target);
    send("k:m2"); // a run begins
    const late = reader(fanout, "k", 2);
    const sl = sink();
    expect(late.offer(sl.target)).toBe(true); // it never had "m2" in its inbox: subscribed after it
    send("k:m3");
    abort.abort();
    await turn();
    expect(sg.written).toEqual([]);
    expect(sl.written).toEqual(["m3@3;"]);
    expect(fanout.listenerCount("k")).toBe(1);
  });

  it(`gathers a crowd's events (${DIRECT_CROWD}+ readers) for a tick: one write per reader per tick`, async () => {
    const { fanout, send } = await started();
    send("k:m1");
    const sinks = Array.from({ length: DIRECT_CROWD }, () => sink());
    for (const each of sinks) reader(fanout, "k", 1).offer(each.target);
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    try {
      send("k:m2");
      await turn();
      expect(sinks[0]!.written).toEqual([]);
      send("k:m3");
      vi.advanceTimersByTime(directTickMs(DIRECT_CROWD));
    } finally {
      vi.useRealTimers();
    }
    expect(new Set(sinks.map((each) => each.written.join("|")))).toEqual(new Set(["m2@2;m3@3;"]));
  });

  it("settled (status): a run of changes is one view read once for all, written in order, never going back; a failed read sends readers back", async () => {
    let onPayload: (payload: string) => void = () => {};
    const listen: DatabaseHandle["listen"] = async (_channel, payloads, listening) => {
      onPayload = payloads;
      listening?.();
      return async () => {};
    };
    const reads: { resolve: (view: string | null) => void; reject: (error: Error) => void }[] = [];
    const fanout = new Fanout<void>(listen, "status", (key) => ({ key, value: undefined }), {
      settle: () => new Promise((resolve, reject) => reads.push({ resolve, reject })),
    });
    await fanout.start();
    const inboxes = [fanout.subscribe("ada", undefined), fanout.subscribe("ada", undefined)];
    const sinks = [sink(), sink()];
    const last: unknown[] = [];
    inboxes.forEach((inbox, n) =>
      expect(
        fanout
          .handover(
            inbox,
            "ada",
            undefined,
            (entry) => (last[n] = entry.value),
            () => true,
          )
          .attach(sinks[n]!.target),
      ).toBe(true),
    );
    onPayload("ada");
    onPayload("ada");
    await turn();
    onPayload("ada"); // the next run waits for this one's read and write
    await turn();
    expect(reads).toHaveLength(1);
    reads[0]!.resolve("view 2");
    await vi.waitFor(() => expect(reads).toHaveLength(2));
    reads[1]!.resolve("view 3");
    await vi.waitFor(() => expect(sinks[1]!.written).toHaveLength(2));
    expect(sinks.map((each) => each.written)).toEqual([
      ["view 2@undefined;", "view 3@undefined;"],
      ["view 2@undefined;", "view 3@undefined;"],
    ]);
    expect(last).toEqual(["view 3", "view 3"]);

    onPayload("ada");
    await vi.waitFor(() => expect(reads).toHaveLength(3));
    reads[2]!.reject(new Error("the database does not answer"));
    expect((await inboxes[0]!.next()).value).toBe(RESYNC); // it reads the view itself, patiently
    expect((await inboxes[1]!.next()).value).toBe(RESYNC);
  });
});
