import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "@onair/db";
import { startThrowawayCluster, throwawayClusterUnavailable as why, type ThrowawayCluster } from "@onair/db/testing";
import { deafenable } from "./deaf-bus";
import { everyStream } from "./every-stream";
import { createOnAirClient } from "@onair/client";
import { signUp, startServer } from "../testing";
import { until, watchChat } from "./watch";

/**
 * A PostgreSQL restart mid-stream, on a throwaway cluster this test starts itself (never the shared
 * one), with two instances (one on the fast lane, one through tRPC's official adapter): subscribers
 * on both still get every message exactly once and in order, a send during the outage fails fast and
 * its retry with the same clientMessageId is stored once; every kind of stream (chat, status,
 * activity, Following list; raw SSE and `@trpc/client`) carries on with no error, and no process dies.
 */
if (why) console.log(`restart.test.ts skipped: ${why}`);

describe.skipIf(why !== null)("a PostgreSQL restart mid-stream (own throwaway cluster)", () => {
  let cluster: ThrowawayCluster;
  const handles: DatabaseHandle[] = [];
  const buses: ReturnType<typeof deafenable>[] = [];
  let a: Awaited<ReturnType<typeof startServer>>;
  let b: Awaited<ReturnType<typeof startServer>>;
  let admin: ReturnType<typeof createOnAirClient>;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on("unhandledRejection", onUnhandled);
    cluster = await startThrowawayCluster("onair-restart-");
    handles.push(openDatabase({ url: cluster.url }), openDatabase({ url: cluster.url }));
    await handles[0]!.migrate();
    buses.push(...handles.map((handle) => deafenable(handle)));
    a = await startServer(buses[0]!, { TRPC_FAST_LANE: "on" });
    b = await startServer(buses[1]!, { TRPC_FAST_LANE: "off" });
  });
  afterAll(async () => {
    process.off("unhandledRejection", onUnhandled);
    await a?.app.close();
    await b?.app.close();
    await Promise.all(handles.map((handle) => handle.close()));
    await cluster?.remove();
  });

  it("subscribers on both instances get every message once, in order; a send in the outage fails fast and its retry is stored once", async () => {
    admin = createOnAirClient({ url: a.url, token: await signUp(a.url, "chief") }); // first account: admin
    const host = createOnAirClient({ url: a.url, token: await signUp(a.url, "restarter") });
    await host.creator.requestApproval.mutate();
    await admin.admin.approveCreator.mutate({ username: "restarter" });
    await host.stream.upsert.mutate({ title: "Restarting" });
    const fans = [
      createOnAirClient({ url: a.url, token: await signUp(a.url, "fan_a") }),
      createOnAirClient({ url: b.url, token: await signUp(b.url, "fan_b") }),
      // "after" has its own sender: a quick restart can fit in the 1 s a sender waits between messages.
      createOnAirClient({ url: b.url, token: await signUp(b.url, "fan_c") }),
    ];
    const subscribers = [watchChat(a.url, "restarter", "0"), watchChat(b.url, "restarter", "0")];
    try {
      await Promise.all(subscribers.map((s) => s.started));
      await fans[0]!.chat.send.mutate({ username: "restarter", text: "before 1" });
      await fans[1]!.chat.send.mutate({ username: "restarter", text: "before 2" });

      await cluster.stop("fast");
      const id = randomUUID();
      const started = Date.now();
      await expect(fans[0]!.chat.send.mutate({ username: "restarter", text: "in the outage", clientMessageId: id })).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(8000); // fails fast, not after 25 s
      await cluster.start();

      // The web app's retry: the same clientMessageId until it goes through.
      let stored: { id: number } | null = null;
      await until(async () => {
        stored = await fans[0]!.chat.send.mutate({ username: "restarter", text: "in the outage", clientMessageId: id }).catch(() => null);
        return stored !== null;
      }, 30_000);
      const again = await fans[0]!.chat.send.mutate({ username: "restarter", text: "in the outage", clientMessageId: id });
      expect(again.id).toBe(stored!.id);
      await fans[2]!.chat.send.mutate({ username: "restarter", text: "after" });

      const { items } = await host.chat.history.query({ username: "restarter", limit: 50 });
      expect(items.map((m) => m.text)).toEqual(["before 1", "before 2", "in the outage", "after"]);
      for (const s of subscribers) {
        await s.until(() => s.messageIds().length >= items.length, 30_000);
        expect(s.messageIds()).toEqual(items.map((m) => m.id));
      }
    } finally {
      for (const s of subscribers) s.stop();
    }
  });

  it("every stream on both instances carries on: what it missed comes once, in order, with no error frame, and no process dies", async () => {
    const streams = await everyStream([a.url, b.url], admin, "boot");
    try {
      // Deaf from before the restart until after the changes (as if LISTEN came back late), so that
      // every change is one the streams must catch up from the tables: the restart's own resync comes
      // first, the late one after the changes.
      for (const bus of buses) bus.deafen();
      const before = buses.map((bus) => bus.listens());
      await cluster.stop("fast");
      await cluster.start();
      // The restart's own resync comes before the changes (LISTEN reconnects on its own schedule, later than /healthz).
      await until(
        () => buses.every((bus, i) => bus.listens() >= before[i]! + bus.channels()),
        30_000,
        () => "every channel listening again after the restart",
      );
      await until(async () => (await Promise.all([a.url, b.url].map((url) => fetch(`${url}/healthz`)))).every((r) => r.ok), 30_000);
      await streams.whileDeaf();
      for (const bus of buses) bus.hear();
      await streams.after();
      expect(unhandled, "unhandled rejections (a process would exit)").toEqual([]);
      await streams.expectEachOnce({ quiet: true });
      expect(unhandled).toEqual([]);
    } finally {
      streams.stop();
    }
  });
});
