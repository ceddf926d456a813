import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "@onair/db";
import { startThrowawayCluster, throwawayClusterUnavailable as why, type ThrowawayCluster } from "@onair/db/testing";
import { createOnAirClient } from "./index";
import { signUp, startServer } from "./test-server";
import { until, watchChat } from "./watch";

/**
 * A PostgreSQL restart mid-stream, on a throwaway cluster this test starts itself (never the shared
 * one): subscribers on two instances still get every message exactly once and in order, a send during
 * the outage fails fast, and its retry with the same clientMessageId is stored once.
 */
if (why) console.log(`restart.test.ts skipped: ${why}`);

describe.skipIf(why !== null)("a PostgreSQL restart mid-stream (own throwaway cluster)", () => {
  let cluster: ThrowawayCluster;
  const handles: DatabaseHandle[] = [];
  let a: Awaited<ReturnType<typeof startServer>>;
  let b: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    cluster = await startThrowawayCluster("onair-restart-");
    const url = cluster.url;
    handles.push(openDatabase({ url }), openDatabase({ url }));
    await handles[0]!.migrate();
    a = await startServer(handles[0]!);
    b = await startServer(handles[1]!);
  });
  afterAll(async () => {
    await a?.app.close();
    await b?.app.close();
    await Promise.all(handles.map((handle) => handle.close()));
    await cluster?.remove();
  });

  it("subscribers on both instances get every message once, in order; a send in the outage fails fast and its retry is stored once", async () => {
    const admin = createOnAirClient({ url: a.url, token: await signUp(a.url, "chief") });
    const host = createOnAirClient({ url: a.url, token: await signUp(a.url, "restarter") });
    await host.creator.requestApproval.mutate();
    await admin.admin.approveCreator.mutate({ username: "restarter" });
    await host.stream.upsert.mutate({ title: "Restarting" });
    const fans = [
      createOnAirClient({ url: a.url, token: await signUp(a.url, "fan_a") }),
      createOnAirClient({ url: b.url, token: await signUp(b.url, "fan_b") }),
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
      await fans[1]!.chat.send.mutate({ username: "restarter", text: "after" });

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
});
