import { describe, expect, it } from "vitest";
import { SharedSubscriptions, type Client } from "./shared-subscription";

/** A stand-in server: records every stream opened, lets the test push values and end streams. */
function fakeServer() {
  const streams: { key: string; open: boolean; push: (value: string) => void; end: () => void }[] = [];
  const registry = (replayLast = false) =>
    new SharedSubscriptions<string>((_client, key, { onData, onComplete }) => {
      const stream = {
        key,
        open: true,
        push: (value: string) => stream.open && onData(value),
        end: () => {
          stream.open = false;
          onComplete();
        },
      };
      streams.push(stream);
      return () => void (stream.open = false);
    }, replayLast);
  const open = () => streams.filter((stream) => stream.open);
  return { streams, open, registry };
}

const client = {} as Client;

describe("SharedSubscriptions: one stream per key for the whole page", () => {
  it("opens one stream for every listener of a key, whatever its case, and closes it with the last", () => {
    const server = fakeServer();
    const registry = server.registry();
    const a: string[] = [];
    const b: string[] = [];
    const stopA = registry.listen(client, "Alice", (v) => a.push(v));
    const stopB = registry.listen(client, "alice", (v) => b.push(v));
    expect(server.streams.map((s) => s.key)).toEqual(["Alice"]); // opened as its first listener spelled it
    server.open()[0]!.push("live");
    expect([a, b]).toEqual([["live"], ["live"]]);
    stopA();
    expect(server.open()).toHaveLength(1);
    stopB();
    expect(server.open()).toHaveLength(0);
    registry.listen(client, "alice", () => {});
    expect(server.streams).toHaveLength(2); // a new first listener opens a new stream
  });

  it("keeps different keys apart", () => {
    const server = fakeServer();
    const registry = server.registry();
    const seen: string[] = [];
    registry.listen(client, "alice", (v) => seen.push(`alice:${v}`));
    registry.listen(client, "bob", (v) => seen.push(`bob:${v}`));
    const [alice, bob] = server.open();
    bob!.push("1");
    alice!.push("2");
    expect(seen).toEqual(["bob:1", "alice:2"]);
  });

  it("replays the latest value to a late listener only when asked to (states, not events)", () => {
    for (const replayLast of [true, false]) {
      const server = fakeServer();
      const registry = server.registry(replayLast);
      registry.listen(client, "alice", () => {});
      server.open()[0]!.push("first");
      server.open()[0]!.push("latest");
      const late: string[] = [];
      registry.listen(client, "alice", (v) => late.push(v));
      expect(late).toEqual(replayLast ? ["latest"] : []);
    }
  });

  it("opens the stream again when the server ends it while someone listens, not after the last left", () => {
    const server = fakeServer();
    const registry = server.registry();
    const seen: string[] = [];
    const stop = registry.listen(client, "alice", (v) => seen.push(v));
    server.open()[0]!.end();
    expect(server.streams).toHaveLength(2);
    server.open()[0]!.push("after");
    expect(seen).toEqual(["after"]);
    stop();
    expect(server.open()).toHaveLength(0);
    server.streams[1]!.end(); // a late completion of the stream just closed
    expect(server.streams).toHaveLength(2);
  });

  it("a feed (a component that streams the key itself) replaces the registry's own stream until released", () => {
    const server = fakeServer();
    const registry = server.registry();
    const seen: string[] = [];
    registry.listen(client, "alice", (v) => seen.push(v));
    expect(server.open()).toHaveLength(1);
    const feed = registry.feed("ALICE");
    expect(server.open()).toHaveLength(0);
    feed.emit("from the chat panel");
    expect(seen).toEqual(["from the chat panel"]);
    feed.release();
    feed.release(); // twice is once
    expect(server.open()).toHaveLength(1);
    expect(server.streams).toHaveLength(2);
  });
});
