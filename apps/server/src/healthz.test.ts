import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@onair/db";
import { createTestDatabase, testDatabaseUrl, type TestDatabaseHandle } from "@onair/db/testing";
import { buildApp, HEALTH_TIMEOUT_MS } from "./app";
import { loadEnv } from "./env";

// PGlite runs in this thread: a statement that hangs there freezes the whole process, timers included.
if (!testDatabaseUrl)
  console.log("healthz.test.ts skipped on PGlite: a hanging PGlite statement blocks the event loop itself (set TEST_DATABASE_URL)");

describe.skipIf(!testDatabaseUrl)("/healthz is bounded when the database hangs (PostgreSQL)", () => {
  let handle: TestDatabaseHandle;
  let busy: DatabaseHandle;
  let app: Awaited<ReturnType<typeof buildApp>>;

  beforeAll(async () => {
    handle = await createTestDatabase();
    // One connection: a long statement on it makes the next one wait, as a hung database would.
    busy = handle.openAnother({ max: 1 });
    app = await buildApp({ env: loadEnv({ NODE_ENV: "test", SWEEP_INTERVAL_MS: "0" }), database: busy });
  });
  afterAll(async () => {
    await app?.close();
    await busy?.close();
    await handle?.close();
  });

  it(`answers 503 within ${HEALTH_TIMEOUT_MS} ms (not a hung probe), then 200 again`, async () => {
    expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    const hang = busy.db.execute(sql`select pg_sleep(${(HEALTH_TIMEOUT_MS + 2500) / 1000})`).then(() => {}); // starts it now
    const started = Date.now();
    const res = await app.inject({ method: "GET", url: "/healthz" });
    const took = Date.now() - started;
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: "unavailable" });
    expect(took).toBeGreaterThanOrEqual(HEALTH_TIMEOUT_MS - 50);
    expect(took).toBeLessThan(HEALTH_TIMEOUT_MS + 1500);
    await hang;
    expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
  });
});
