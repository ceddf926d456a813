import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseBus, openRedisBus, type Bus, type DatabaseHandle } from "@onair/db";
import {
  createTestDatabase,
  startThrowawayRedis,
  testDatabaseUrl,
  throwawayRedisUnavailable,
  type TestDatabaseHandle,
  type ThrowawayRedis,
} from "@onair/db/testing";
import { everyStream } from "./every-stream";
import { createOnAirClient } from "@onair/client";
import { signUp, startServer } from "../testing";
import { until, watchChat, watchStatus } from "./watch";

/**
 * Issue 24: the same delivery tests on either bus (PostgreSQL LISTEN/NOTIFY, and Redis with
 * `BUS_URL`), three instances on one PostgreSQL: every subscriber on every instance gets every
 * message once, in history order, and a resume returns the same. On Redis, a Redis restart in the
 * middle: every stream on every instance gets what it missed once, in order, from the tables.
 */
const why = !testDatabaseUrl ? "needs a PostgreSQL server (TEST_DATABASE_URL): three instances on one database" : throwawayRedisUnavailable;
if (why) console.log(`bus.test.ts skipped: ${why}`);

type Server = Awaited<ReturnType<typeof startServer>>;

describe.skipIf(why !== null).each(["postgres", "redis"] as const)("delivery across three instances on the %s bus", (kind) => {
  let handle: TestDatabaseHandle;
  let redis: ThrowawayRedis | undefined;
  const handles: DatabaseHandle[] = [];
  const buses: Bus[] = [];
  const servers: Server[] = [];
  let admin: ReturnType<typeof createOnAirClient>;
  let host: ReturnType<typeof createOnAirClient>;
  const channel = `bus_${kind}`;

  beforeAll(async () => {
    handle = await createTestDatabase();
    if (kind === "redis") redis = await startThrowawayRedis();
    handles.push(handle, handle.openAnother(), handle.openAnother());
    for (const each of handles) {
      const bus = redis ? openRedisBus(redis.url, each.db) : databaseBus(each);
      if ("ready" in bus) await (bus as { ready(): Promise<void> }).ready();
      buses.push(bus);
    }
    // The middle one through tRPC's official adapter: both paths on either bus.
    for (const [i, each] of handles.entries()) {
      servers.push(await startServer(each, { TRPC_FAST_LANE: i === 1 ? "off" : "on" }, { bus: buses[i] }));
    }
    admin = createOnAirClient({ url: servers[0]!.url, token: await signUp(servers[0]!.url, `${kind}_chief`) }); // first: admin
    host = createOnAirClient({ url: servers[0]!.url, token: await signUp(servers[0]!.url, channel) });
    await host.creator.requestApproval.mutate();
    await admin.admin.approveCreator.mutate({ username: channel });
    await host.stream.upsert.mutate({ title: "Bus" });
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.app.close()));
    await Promise.all(buses.map((bus) => bus.close()));
    await Promise.all(handles.slice(1).map((each) => each.close()));
    await handle?.close();
    await redis?.stop();
  });

  it("/healthz names the bus", async () => {
    for (const server of servers) expect(await (await fetch(`${server.url}/healthz`)).json()).toMatchObject({ bus: kind });
  });

  it("a burst sent through all three instances: every subscriber gets every message once, in history order; status too", async () => {
    const senders = await Promise.all(
      Array.from({ length: 9 }, async (_, i) => {
        const url = servers[i % 3]!.url;
        return createOnAirClient({ url, token: await signUp(url, `${kind}_sender${i}`) });
      }),
    );
    const { items: before } = await host.chat.history.query({ username: channel, limit: 1 });
    const since = String(before[0]?.id ?? 0);
    const subscribers = servers.flatMap((server) => [watchChat(server.url, channel, since), watchChat(server.url, channel, since)]);
    const statuses = servers.map((server) => watchStatus(server.url, channel));
    try {
      await Promise.all(subscribers.map((subscriber) => subscriber.started));
      await Promise.all(statuses.map((status) => status.until(() => status.views.length > 0)));
      await Promise.all(senders.map((client, i) => client.chat.send.mutate({ username: channel, text: `burst ${i}` })));
      await host.stream.upsert.mutate({ title: "Retitled" });

      const { items } = await host.chat.history.query({ username: channel, limit: 50 });
      const expected = items.filter((m) => m.id > Number(since)).map((m) => m.id);
      expect(expected).toHaveLength(senders.length);
      for (const subscriber of subscribers) {
        await subscriber.until(() => subscriber.messageIds().length >= expected.length);
        expect(subscriber.messageIds()).toEqual(expected);
        expect(subscriber.errors).toEqual([]);
      }
      for (const status of statuses) await status.until(() => status.views.some((view) => view.title === "Retitled"));
      // A resume from the same point, on another instance, returns exactly the same messages.
      const resumed = watchChat(servers[1]!.url, channel, since);
      try {
        await resumed.until(() => resumed.messageIds().length >= expected.length);
        expect(resumed.messageIds()).toEqual(expected);
      } finally {
        resumed.stop();
      }
    } finally {
      for (const each of [...subscribers, ...statuses]) each.stop();
    }
  });

  it.runIf(kind === "redis")(
    "a Redis restart in the middle: every stream on every instance gets what it missed once, in order",
    async () => {
      const streams = await everyStream(
        servers.map((server) => server.url),
        admin,
        "redisrestart",
      );
      try {
        await redis!.stop();
        // Redis is gone: every change now reaches no instance through the bus (the database has them all).
        await streams.whileDeaf();
        await redis!.start();
        await streams.after();
        await streams.expectEachOnce({ quiet: true });
        await until(async () => (await Promise.all(servers.map((s) => fetch(`${s.url}/healthz`)))).every((r) => r.ok));
      } finally {
        streams.stop();
      }
    },
  );
});
