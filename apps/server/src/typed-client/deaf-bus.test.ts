import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@onair/db";
import { createTestDatabase, testDatabaseUrl, type TestDatabaseHandle } from "@onair/db/testing";
import { deafenable } from "./deaf-bus";
import { everyStream } from "./every-stream";
import { createOnAirClient } from "@onair/client";
import { signUp, startServer } from "../testing";

/**
 * The bus goes deaf (every NOTIFY lost, as while the LISTEN connection is gone) on two instances,
 * one answering on the fast lane and one through tRPC's official adapter, while chat, status,
 * activity and Following-list streams are open on both, read as raw SSE and through `@trpc/client`.
 * When it hears again, each stream catches up from the tables: everything it missed, exactly once and
 * in order, with no error frame, and carries on.
 */
describe(`a deaf bus, then listening again (${testDatabaseUrl ? "PostgreSQL" : "PGlite"}; fast lane and official adapter)`, () => {
  let handle: TestDatabaseHandle;
  let second: DatabaseHandle;
  const buses: ReturnType<typeof deafenable>[] = [];
  const servers: Awaited<ReturnType<typeof startServer>>[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on("unhandledRejection", onUnhandled);
    handle = await createTestDatabase();
    second = handle.openAnother();
    buses.push(deafenable(handle), deafenable(second));
    servers.push(await startServer(buses[0]!, { TRPC_FAST_LANE: "on" }), await startServer(buses[1]!, { TRPC_FAST_LANE: "off" }));
  });
  afterAll(async () => {
    process.off("unhandledRejection", onUnhandled);
    for (const server of servers) await server.app.close();
    await second?.close();
    await handle?.close();
  });

  it("every stream on both instances gets what it missed once, in order, with no error, and carries on", async () => {
    const [a, b] = servers.map((server) => server.url) as [string, string];
    const admin = createOnAirClient({ url: a, token: await signUp(a, "deaf_admin") }); // first account: admin
    const streams = await everyStream([a, b], admin, "deaf");
    try {
      for (const bus of buses) bus.deafen();
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
