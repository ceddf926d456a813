import { createTRPCClient, type Operation, type TRPCLink } from "@trpc/client";
import { observable, type Observer } from "@trpc/server/observable";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AppRouter } from "@onair/api";
import { HANDOVER_MS, multiplexLink } from "./multiplex-link";

type Wire =
  | { key: string; kind: "data"; id?: string; data: unknown }
  | { key: string; kind: "error"; error: unknown }
  | { key: string; kind: "done" };

/** A stand-in transport: each `mux.onMany` stream it was asked for, open or closed, and ways to drive it. */
function fakeTransport() {
  const streams: { keys: string[]; inputs: unknown[]; open: boolean; observer: Observer<unknown, unknown> }[] = [];
  const link: TRPCLink<AppRouter> =
    () =>
    ({ op }) =>
      observable((observer) => {
        const input = (op as Operation<{ subscriptions: { key: string; input: unknown }[] }>).input;
        const stream = {
          keys: input.subscriptions.map((s) => s.key),
          inputs: input.subscriptions.map((s) => s.input),
          open: true,
          observer: observer as unknown as Observer<unknown, unknown>,
        };
        streams.push(stream);
        return () => void (stream.open = false);
      });
  const started = (n: number) => streams[n]!.observer.next({ result: { type: "started" } });
  const send = (n: number, event: Wire) => streams[n]!.observer.next({ result: { id: "cursors", data: { id: "cursors", data: event } } });
  return { streams, link, started, send, open: () => streams.filter((s) => s.open).length };
}

describe("multiplexLink: a page's subscriptions on one stream", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("opens one stream for subscriptions made together, and routes each event to its own", async () => {
    const transport = fakeTransport();
    const client = createTRPCClient<AppRouter>({ links: [multiplexLink({ transport: transport.link })] });
    const chat: unknown[] = [];
    const status: unknown[] = [];
    client.chat.onMessage.subscribe({ username: "a" }, { onData: (e) => chat.push(e) });
    client.stream.onStatus.subscribe({ username: "a" }, { onData: (e) => status.push(e) });
    await vi.advanceTimersByTimeAsync(0);
    expect(transport.streams).toHaveLength(1);
    const [chatKey, statusKey] = transport.streams[0]!.keys;
    transport.started(0);
    transport.send(0, { key: chatKey!, kind: "data", id: "7", data: { type: "message", text: "hi" } });
    transport.send(0, { key: statusKey!, kind: "data", data: { isLive: true } });
    expect(chat).toEqual([{ id: "7", data: { type: "message", text: "hi" } }]);
    expect(status).toEqual([{ isLive: true }]);
  });

  it("hands over to a new stream when one joins: the old delivers until HANDOVER_MS after the new started, each event once", async () => {
    const transport = fakeTransport();
    const client = createTRPCClient<AppRouter>({ links: [multiplexLink({ transport: transport.link })] });
    const chat: unknown[] = [];
    client.chat.onMessage.subscribe({ username: "a" }, { onData: (e) => chat.push(e) });
    await vi.advanceTimersByTimeAsync(0);
    const key = transport.streams[0]!.keys[0]!;
    transport.started(0);
    transport.send(0, { key, kind: "data", id: "1", data: "m1" });

    client.stream.onStatus.subscribe({ username: "a" }, {});
    await vi.advanceTimersByTimeAsync(0);
    expect(transport.streams).toHaveLength(2);
    expect(transport.streams[1]!.inputs[0]).toEqual({ username: "a", lastEventId: "1" }); // resumes after what it had
    // Both deliver meanwhile; what both deliver arrives once.
    transport.send(0, { key, kind: "data", id: "2", data: "m2" });
    transport.started(1);
    transport.send(1, { key, kind: "data", id: "2", data: "m2" });
    transport.send(1, { key, kind: "data", id: "3", data: "m3" });
    transport.send(0, { key, kind: "data", id: "3", data: "m3" });
    transport.send(0, { key, kind: "data", id: "3", data: "deleted 2" }); // same id, another event: kept
    transport.send(1, { key, kind: "data", id: "3", data: "deleted 2" });
    // A third joining during the handover waits for it to end: never more than two streams.
    client.stream.onActivity.subscribe(undefined, {});
    await vi.advanceTimersByTimeAsync(HANDOVER_MS - 1);
    expect(transport.open()).toBe(2);
    expect(transport.streams).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(transport.streams[0]!.open).toBe(false);
    await vi.advanceTimersByTimeAsync(1); // (the next stream opens on the timer queue)
    expect(transport.streams).toHaveLength(3);
    expect(transport.streams[2]!.keys).toHaveLength(3);
    expect(chat.map((e) => (e as { data: unknown }).data)).toEqual(["m1", "m2", "m3", "deleted 2"]);
  });

  it("tells a subscription it started once per unbroken run: not again on a handover, again after an outage", async () => {
    const transport = fakeTransport();
    const client = createTRPCClient<AppRouter>({ links: [multiplexLink({ transport: transport.link })] });
    let starts = 0;
    client.stream.onLiveChange.subscribe({ usernames: ["a"] }, { onStarted: () => (starts += 1) });
    await vi.advanceTimersByTimeAsync(0);
    transport.started(0);
    expect(starts).toBe(1);
    client.stream.onStatus.subscribe({ username: "a" }, {});
    await vi.advanceTimersByTimeAsync(0);
    transport.streams[1]!.observer.next({ result: { type: "state", state: "connecting", error: null } });
    transport.started(1);
    expect(starts).toBe(1); // the old stream listened until the new one did
    transport.streams[1]!.observer.next({ result: { type: "state", state: "connecting", error: new Error("network") } });
    transport.started(1);
    expect(starts).toBe(2); // it may have missed something meanwhile
  });

  it("ends one subscription on its own error or end; the last to leave closes the stream", async () => {
    const transport = fakeTransport();
    const client = createTRPCClient<AppRouter>({ links: [multiplexLink({ transport: transport.link })] });
    const errors: unknown[] = [];
    let completed = false;
    client.chat.onMessage.subscribe({ username: "a" }, { onComplete: () => (completed = true) });
    client.stream.onActivity.subscribe(undefined, { onError: (error) => errors.push(error) });
    await vi.advanceTimersByTimeAsync(0);
    const [chatKey, activityKey] = transport.streams[0]!.keys;
    const shape = { code: -32003, message: "Only approved creators can do this", data: { code: "FORBIDDEN", httpStatus: 403 } };
    transport.send(0, { key: activityKey!, kind: "error", error: shape });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ message: "Only approved creators can do this", data: { code: "FORBIDDEN" } });
    expect(transport.open()).toBe(1); // the chat goes on
    transport.send(0, { key: chatKey!, kind: "done" });
    expect(completed).toBe(true);
    expect(transport.open()).toBe(0);
  });
});
