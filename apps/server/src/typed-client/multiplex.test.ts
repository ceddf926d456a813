import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatEvent } from "@onair/api";
import { chatCooldown } from "@onair/db";
import { createTestDatabase, testDatabaseUrl, type TestDatabaseHandle } from "@onair/db/testing";
import { createOnAirClient } from "@onair/client";
import { signUp, startServer } from "../testing";

/** Collects what a subscription delivers; `until` waits for a condition as each value arrives. */
function collector<T>() {
  const values: T[] = [];
  const errors: unknown[] = [];
  const waiters = new Set<() => void>();
  const changed = () => waiters.forEach((check) => check());
  const until = (predicate: () => boolean, what: string, timeoutMs = 30_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!predicate()) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(values).slice(0, 500)} ${String(errors)}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return {
    values,
    errors,
    until,
    onData: (value: T) => void (values.push(value), changed()),
    onError: (error: unknown) => void (errors.push(error), changed()),
  };
}

const texts = (events: { data: ChatEvent }[]) => events.flatMap((e) => (e.data.type === "message" ? [e.data.text] : []));

/**
 * One browser tab's subscriptions on one SSE stream (`mux.onMany` through `multiplexLink`), over
 * real HTTP on whichever path this run takes (the fast lane, or tRPC's adapter with it off).
 */
describe(`every subscription of a page on one stream (${testDatabaseUrl ? "PostgreSQL" : "PGlite"})`, () => {
  let handle: TestDatabaseHandle;
  let server: Awaited<ReturnType<typeof startServer>>;
  let hostToken: string;
  let fanToken: string;

  beforeAll(async () => {
    handle = await createTestDatabase();
    // Two streams per address: one page's stream, and its successor while a new subscription joins.
    server = await startServer(handle, { SUBSCRIPTIONS_PER_ADDRESS: "2" });
    const admin = createOnAirClient({ url: server.url, token: await signUp(server.url, "muxchief") });
    hostToken = await signUp(server.url, "muxhost");
    fanToken = await signUp(server.url, "muxfan");
    const host = createOnAirClient({ url: server.url, token: hostToken });
    await host.creator.requestApproval.mutate();
    await admin.admin.approveCreator.mutate({ username: "muxhost" });
    await host.stream.goLive.mutate({ withoutVideo: true });
  });
  afterAll(async () => {
    await server?.app.close();
    await handle?.close();
  });

  it("carries more subscriptions than the address may open streams, each with its own events and errors", async () => {
    const host = createOnAirClient({ url: server.url, token: hostToken, multiplex: true });
    const fan = createOnAirClient({ url: server.url, token: fanToken, multiplex: true });
    const status = collector<{ username: string; isLive: boolean }>();
    const activity = collector<{ type: string; username: string }>();
    const chat = collector<{ id: string; data: ChatEvent }>();
    const refused = collector<unknown>();
    const subs = [
      host.stream.onStatus.subscribe({ username: "muxhost" }, status),
      host.stream.onActivity.subscribe(undefined, activity),
      host.chat.onMessage.subscribe({ username: "muxhost", lastEventId: "0" }, chat),
      fan.stream.onActivity.subscribe(undefined, refused), // not the fan's channel: refused, as alone
    ];
    try {
      await status.until(() => status.values.length > 0, "the channel's status");
      expect(status.values[0]).toMatchObject({ username: "muxhost", isLive: true });
      await refused.until(() => refused.errors.length > 0, "the fan's refusal");
      expect(refused.errors[0]).toMatchObject({ data: { code: "FORBIDDEN" } });

      await createOnAirClient({ url: server.url, token: fanToken }).follow.follow.mutate({ username: "muxhost" });
      await activity.until(() => activity.values.some((e) => e.type === "follow" && e.username === "muxfan"), "the follow");
      const sent = await createOnAirClient({ url: server.url, token: fanToken }).chat.send.mutate({
        username: "muxhost",
        text: "one stream",
      });
      await chat.until(() => texts(chat.values).includes("one stream"), "the chat message");
      expect(chat.values.find((e) => e.data.type === "message")).toMatchObject({ id: String(sent.id) });
    } finally {
      subs.forEach((sub) => sub.unsubscribe());
    }
  });

  it("loses and repeats nothing when subscriptions join while messages flow (each join hands over to a new stream)", async () => {
    const page = createOnAirClient({ url: server.url, token: hostToken, multiplex: true });
    const sender = createOnAirClient({ url: server.url, token: fanToken });
    const before = await page.chat.history.query({ username: "muxhost", limit: 1 });
    const lastEventId = String(before.items.at(-1)?.id ?? 0);
    const chat = collector<{ id: string; data: ChatEvent }>();
    const subs = [page.chat.onMessage.subscribe({ username: "muxhost", lastEventId }, chat)];
    const sent: string[] = [];
    try {
      for (let i = 0; i < 30; i++) {
        await handle.db.update(chatCooldown).set({ lastSentAt: new Date(0) });
        sent.push(`flow ${i}`);
        await sender.chat.send.mutate({ username: "muxhost", text: `flow ${i}` });
        // Two subscriptions join mid-flow, and one leaves: each join opens the page's next stream.
        if (i === 8) subs.push(page.stream.onStatus.subscribe({ username: "muxhost" }, collector()));
        if (i === 16) subs.push(page.stream.onActivity.subscribe(undefined, collector()));
        if (i === 20) subs[1]!.unsubscribe();
      }
      await chat.until(() => texts(chat.values).length >= sent.length, "every message");
      expect(texts(chat.values)).toEqual(sent);
      const ids = chat.values.filter((e) => e.data.type === "message").map((e) => Number(e.id));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    } finally {
      subs.forEach((sub) => sub.unsubscribe());
    }
  });
});
