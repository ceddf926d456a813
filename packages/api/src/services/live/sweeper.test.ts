import { createServer, type Server, type Socket } from "node:net";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { broadcast } from "@onair/db";
import { createTestDatabase, until } from "@onair/db/testing";
import { createTestKit, uniqueName, type SignedUp, type TestKit } from "../../test/helpers";
import { HEARTBEAT_TIMEOUT_SECONDS } from "./broadcasts";
import { silentLogger, type Services } from "../index";
import { createLiveKitRooms, ROOM_API_TIMEOUT_MS } from "../livekit";
import { createSweeper } from "./sweeper";

describe("the sweeper is fair to creators and never held up by LiveKit", () => {
  let kit: TestKit;
  let creator: SignedUp;
  let unreachable: Services;
  let blackHole: Server;
  const sockets: Socket[] = [];
  let hanging: Services;

  beforeAll(async () => {
    kit = await createTestKit();
    creator = await kit.makeCreator(uniqueName("fair"));
    // A database that does not answer: the services as they are during an outage.
    const gone = await createTestDatabase();
    await gone.close();
    unreachable = { ...kit.services, db: gone.db };
    // A LiveKit API that accepts connections and never answers.
    blackHole = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => blackHole.listen(0, "127.0.0.1", resolve));
    const { port } = blackHole.address() as { port: number };
    hanging = { ...kit.services, rooms: createLiveKitRooms({ ...kit.livekit, apiUrl: `http://127.0.0.1:${port}` }, silentLogger) };
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    blackHole?.close();
    await kit?.close();
  });

  const silence = (id: string, seconds: number) =>
    kit.db.execute(sql`update broadcast set last_heartbeat_at = now() - make_interval(secs => ${seconds}) where id = ${id}`);
  const row = async (id: string) => (await kit.db.select().from(broadcast).where(eq(broadcast.id, id)))[0]!;

  it("a 60 s database outage does not end a live broadcast; the same silence without an outage does", async () => {
    const sweeper = createSweeper(kit.services);
    const live = await creator.caller.stream.goLive();
    // The creator's last heartbeat that got through was 60 s ago: the outage swallowed the rest.
    await silence(live.broadcastId, 60);
    await expect(sweeper.sweep(unreachable)).rejects.toThrow();
    expect(sweeper.outageSince).toBeInstanceOf(Date);
    expect(await sweeper.sweep()).toEqual([]);
    expect(sweeper.outageSince).toBeNull();
    expect((await row(live.broadcastId)).endedAt).toBeNull();
    expect((await kit.anonymous.stream.byUsername({ username: creator.user.username! })).isLive).toBe(true);

    // Silence while the database answered is the creator's: it ends the broadcast.
    await silence(live.broadcastId, HEARTBEAT_TIMEOUT_SECONDS + 15);
    expect((await sweeper.sweep()).map((ended) => ended.id)).toEqual([live.broadcastId]);
    expect((await row(live.broadcastId)).endReason).toBe("timeout");
  });

  it(`a black-holed LiveKit API: each call gives up within ${ROOM_API_TIMEOUT_MS} ms`, async () => {
    const started = Date.now();
    expect(await hanging.rooms.listParticipants("broadcast-nowhere")).toBeNull();
    expect(await hanging.rooms.deleteRoom("broadcast-nowhere")).toBe(false);
    expect(Date.now() - started).toBeLessThan(2 * ROOM_API_TIMEOUT_MS + 1500);
  });

  it("16 live rooms on a black-holed LiveKit: reconciling is concurrent, and ending a vanished creator does not wait for it", async () => {
    // 16 channels live, straight in the tables.
    await kit.db.execute(sql`
      with u as (
        insert into "user" (id, name, email, username)
        select 'bh' || g, 'bh' || g, 'bh' || g || '@test.onair', 'bh_' || g from generate_series(1, 16) g returning id
      ), s as (
        insert into stream (user_id, title, is_live) select id, 'busy', true from u returning id
      )
      insert into broadcast (stream_id, room_name) select id, 'broadcast-bh-' || id from s`);
    const vanished = await creator.caller.stream.goLive();
    await silence(vanished.broadcastId, HEARTBEAT_TIMEOUT_SECONDS + 1);

    const sweeper = createSweeper(hanging);
    const started = Date.now();
    const reconciling = sweeper.reconcile();
    const sweeping = sweeper.sweep();
    // Ended in the tables (and so announced to viewers) at once, LiveKit or not.
    await until(
      async () => (await row(vanished.broadcastId)).endedAt !== null,
      ROOM_API_TIMEOUT_MS,
      () => "for the vanished creator's broadcast to end while LiveKit hung",
    );
    expect((await sweeping).map((ended) => ended.id)).toEqual([vanished.broadcastId]);
    await reconciling;
    // 17 rooms, 8 at a time: three rounds of the timeout, not seventeen.
    expect(Date.now() - started).toBeLessThan(4 * ROOM_API_TIMEOUT_MS + 2000);
  });
});
