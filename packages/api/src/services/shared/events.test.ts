import { describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@onair/db";
import { Fanout, RESYNC, SUBSCRIBER_BUFFER } from "./events";
import { patiently } from "./patiently";

/** A bus in memory: `send` is a NOTIFY, `relisten` what postgres.js does after reconnecting. */
function memoryBus() {
  const channels = new Map<string, { onPayload: (payload: string) => void; onListen?: (() => void) | undefined }>();
  const listen: DatabaseHandle["listen"] = async (channel, onPayload, onListen) => {
    channels.set(channel, { onPayload, onListen });
    onListen?.();
    return async () => void channels.delete(channel);
  };
  return {
    listen,
    send: (payload: string) => channels.get("test")!.onPayload(payload),
    relisten: () => channels.get("test")!.onListen?.(),
  };
}

async function started(bus: ReturnType<typeof memoryBus>) {
  const fanout = new Fanout<string>(bus.listen, "test", (payload) => {
    const [key, value] = payload.split(":") as [string, string];
    return { key, value };
  });
  await fanout.start();
  return fanout;
}

const take = async <T>(iterator: AsyncIterator<T>, count: number) => {
  const values: T[] = [];
  while (values.length < count) values.push((await iterator.next()).value as T);
  return values;
};

describe("Fanout: a bus that was deaf", () => {
  it("tells every subscription with one RESYNC value after what it queued, never as an error, and they carry on", async () => {
    const bus = memoryBus();
    const fanout = await started(bus);
    const heard: string[] = [];
    fanout.onResync(() => heard.push("caches dropped"));
    const a = fanout.subscribe("a", undefined);
    const b = fanout.subscribe("b", undefined);
    const both = fanout.subscribeMany(["a", "b", "a"], undefined);
    expect(fanout.listenerCount("a")).toBe(2);

    bus.send("a:1");
    bus.relisten();
    bus.relisten(); // twice deaf before anyone read: one catch-up is enough
    bus.send("b:2");

    expect(heard).toEqual(["caches dropped", "caches dropped"]);
    expect(fanout.resyncs).toBe(2);
    expect(await take(a, 1)).toEqual(["1"]);
    expect(await take(a, 1)).toEqual([RESYNC]);
    expect(await take(b, 2)).toEqual([RESYNC, "2"]);
    expect(await take(both, 3)).toEqual([{ key: "a", value: "1" }, RESYNC, { key: "b", value: "2" }]);
    bus.send("a:3");
    expect(await take(a, 1)).toEqual(["3"]);
    expect(await take(both, 1)).toEqual([{ key: "a", value: "3" }]);
  });

  it("ends a subscription on abort, on return() and on end(), and keeps nothing registered", async () => {
    const fanout = await started(memoryBus());
    const controller = new AbortController();
    const aborted = fanout.subscribe("k", controller.signal);
    const returned = fanout.subscribe("k", undefined);
    const ended = fanout.subscribeMany(["k", "j"], undefined);
    const waiting = aborted.next();
    controller.abort();
    expect(await waiting).toEqual({ value: undefined, done: true });
    await returned.return();
    expect(await returned.next()).toEqual({ value: undefined, done: true });
    fanout.end();
    expect(await ended.next()).toEqual({ value: undefined, done: true });
    expect(fanout.listenerCount("k") + fanout.listenerCount("j")).toBe(0);
    expect(await fanout.subscribe("k", undefined).next()).toEqual({ value: undefined, done: true }); // after end()
  });
});

describe("patiently", () => {
  it("reads again while the database does not answer, and gives up past its patience", async () => {
    let calls = 0;
    const flaky = async () => {
      if (++calls < 3) throw new Error("connection refused");
      return "rows";
    };
    expect(await patiently(flaky, undefined)).toBe("rows");
    expect(calls).toBe(3);
    await expect(patiently(() => Promise.reject(new Error("down")), undefined, 100)).rejects.toThrow("down");
  });
});

describe("Fanout: a slow reader", () => {
  it(`past ${SUBSCRIBER_BUFFER} events queued, that reader alone gets one RESYNC instead of its queue; the others get everything`, async () => {
    const bus = memoryBus();
    const fanout = await started(bus);
    const slow = fanout.subscribe("k", undefined);
    const quick = fanout.subscribe("k", undefined);
    const heard: unknown[] = [];
    const reading = (async () => {
      for await (const value of quick) if (heard.push(value) === SUBSCRIBER_BUFFER + 10) break;
    })();
    for (let i = 0; i < SUBSCRIBER_BUFFER + 10; i++) {
      bus.send(`k:${i}`);
      await Promise.resolve(); // the quick reader takes each as it comes
    }
    await reading;
    expect(heard).toEqual(Array.from({ length: SUBSCRIBER_BUFFER + 10 }, (_, i) => String(i)));
    expect(slow.drain()).toEqual([RESYNC, ...Array.from({ length: 9 }, (_, i) => String(SUBSCRIBER_BUFFER + 1 + i))]);
    await slow.return();
  });
});
