import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { createResultJson, isFlatJsonRecord } from "./json";

describe("isFlatJsonRecord", () => {
  it("takes exactly the values superjson passes through unchanged", () => {
    const flat = [{}, { token: "a.b.c", canChat: false, viewers: 12, note: null, text: "\u2028é\u0000" }];
    for (const value of flat) {
      expect(isFlatJsonRecord(value)).toBe(true);
      expect(JSON.stringify(superjson.serialize(value))).toBe(`{"json":${JSON.stringify(value)}}`);
    }
    const other = [
      null,
      "text",
      [1],
      { at: new Date() },
      { n: Number.NaN },
      { n: -0 },
      { n: Infinity },
      { u: undefined },
      { big: 1n },
      { nested: {} },
      Object.create(null),
      new Map(),
    ];
    for (const value of other) expect(isFlatJsonRecord(value)).toBe(false);
  });
});

describe("createResultJson", () => {
  it("is superjson's JSON, remembered only for frozen values", () => {
    let calls = 0;
    const counting = { serialize: (value: unknown) => (calls++, superjson.serialize(value)) };
    const json = createResultJson(counting);
    const shared = Object.freeze({ at: new Date(0), title: "live" });
    expect(json(shared)).toBe(JSON.stringify(superjson.serialize(shared)));
    expect(json(shared)).toBe(JSON.stringify(superjson.serialize(shared)));
    expect(calls).toBe(1);
    const mutable = { at: new Date(0), title: "a" };
    json(mutable);
    mutable.title = "b";
    expect(json(mutable)).toContain('"title":"b"');
    expect(calls).toBe(3);
  });

  it("gives flat records (whose walk it skips) superjson's exact bytes", () => {
    const json = createResultJson(superjson);
    const token = { token: "x.y.z", wsUrl: "ws://localhost:7880", canChat: true };
    expect(json(token)).toBe(JSON.stringify(superjson.serialize(token)));
  });
});
