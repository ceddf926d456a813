import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@onair/db";
import { createTestDatabase, testDatabaseUrl, type TestDatabaseHandle } from "@onair/db/testing";
import { createOnAirClient, type RouterOutputs } from "@onair/client";
import { signUp, startServer } from "../testing";

type View = RouterOutputs["stream"]["byUsername"];

/** Collects a subscription's values; `next(predicate)` waits for the first one that matches. */
function collect() {
  const seen: View[] = [];
  const waiters: { predicate: (view: View) => boolean; resolve: (view: View) => void }[] = [];
  return {
    seen,
    push(view: View) {
      seen.push(view);
      for (const waiter of [...waiters]) {
        if (waiter.predicate(view)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(view);
        }
      }
    },
    next(predicate: (view: View) => boolean, timeoutMs = 10_000): Promise<View> {
      const found = seen.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching status within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ predicate, resolve: (view) => (clearTimeout(timer), resolve(view)) });
      });
    },
  };
}

describe(`stream.onStatus across two server instances (${testDatabaseUrl ? "PostgreSQL LISTEN/NOTIFY" : "one PGlite"})`, () => {
  let handle: TestDatabaseHandle;
  let second: DatabaseHandle;
  let a: Awaited<ReturnType<typeof startServer>>;
  let b: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    handle = await createTestDatabase();
    second = handle.openAnother();
    a = await startServer(handle);
    b = await startServer(second);
  });
  afterAll(async () => {
    await a?.app.close();
    await b?.app.close();
    await second?.close();
    await handle?.close();
  });

  it("a channel page subscribed on B flips live, retitled and ended as the creator acts on A", async () => {
    const admin = createOnAirClient({ url: a.url, token: await signUp(a.url, "boss") }); // first account: admin
    const creatorToken = await signUp(a.url, "streamer");
    const creator = createOnAirClient({ url: a.url, token: creatorToken });
    await creator.creator.requestApproval.mutate();
    await admin.admin.approveCreator.mutate({ username: "streamer" });

    const views = collect();
    const errors: unknown[] = [];
    const guestOnB = createOnAirClient({ url: b.url });
    const subscription = guestOnB.stream.onStatus.subscribe(
      { username: "Streamer" },
      { onData: (view) => views.push(view), onError: (error) => errors.push(error) },
    );
    try {
      const first = await views.next(() => true);
      expect(first).toMatchObject({ username: "streamer", isLive: false });

      const live = await creator.stream.goLive.mutate({ title: "Hello from A" });
      expect(live.stream.isLive).toBe(true);
      const flipped = await views.next((view) => view.isLive);
      expect(flipped.title).toBe("Hello from A");
      expect(flipped.liveSince).toBeInstanceOf(Date);

      await creator.stream.upsert.mutate({ title: "New title" });
      await views.next((view) => view.title === "New title" && view.isLive);

      await creator.stream.end.mutate();
      const ended = await views.next((view) => !view.isLive && view.title === "New title");
      expect(ended.liveSince).toBeNull();
      expect(errors).toEqual([]);
    } finally {
      subscription.unsubscribe();
    }
  });

  it("an unknown channel's subscription fails with NOT_FOUND", async () => {
    const client = createOnAirClient({ url: b.url });
    const error = await new Promise<unknown>((resolve) => {
      const sub = client.stream.onStatus.subscribe(
        { username: "no_such_channel" },
        {
          onError: (err) => {
            sub.unsubscribe();
            resolve(err);
          },
          onData: () => {},
        },
      );
    });
    expect(error).toMatchObject({ data: { code: "NOT_FOUND" } });
  });
});
