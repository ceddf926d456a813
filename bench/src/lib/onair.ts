import { createServer } from "node:net";
import type { LiveKitRooms } from "@onair/api";
import { openDatabase, type Database, type DatabaseHandle } from "@onair/db";
import { createTestDatabase } from "@onair/db/testing";
import { buildApp, loadEnv } from "@onair/server";
import { postgresUrl } from "./config";

export type DbKind = "PGlite" | "PostgreSQL";

/** Database kinds this invocation runs: PGlite always, PostgreSQL when the environment names one. */
export const dbKinds = (): DbKind[] => (postgresUrl ? ["PGlite", "PostgreSQL"] : ["PGlite"]);

export const LIVEKIT = { url: "ws://localhost:7880", apiKey: "devkey", apiSecret: "secret" };

/** No LiveKit server here: room API calls succeed without doing anything. */
const rooms: LiveKitRooms = {
  deleteRoom: async () => true,
  updateRoomMetadata: async () => true,
  listParticipants: async () => [],
};

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface BenchDatabase {
  handle: DatabaseHandle;
  /** A second connection pool to the same database (a second server instance); PGlite: the same handle. */
  another(): DatabaseHandle;
}

/** A fresh, migrated database: in-memory PGlite, or a new database on the PostgreSQL server (dropped on close). */
export async function openBenchDatabase(kind: DbKind): Promise<BenchDatabase> {
  if (kind === "PostgreSQL") {
    const handle = await createTestDatabase();
    return { handle, another: () => handle.openAnother() };
  }
  const handle = openDatabase({});
  await handle.migrate();
  return { handle, another: () => ({ ...handle, close: async () => {} }) };
}

export interface OnAirServer {
  /** http://127.0.0.1:<port>, for load generators. */
  url: string;
  /** http://localhost:<port>: PUBLIC_URL, the origin browsers and cookie requests use. */
  publicUrl: string;
  db: Database;
  close(): Promise<void>;
}

/** The real server (buildApp) in this process, listening on loopback; benchmark settings. */
export interface StartOptions {
  env?: Record<string, string>;
  /** Called with each response's path and its server time (Fastify's `reply.elapsedTime`, ms). */
  onResponse?: (url: string, elapsedMs: number) => void;
}

export async function startOnAir(database: Pick<DatabaseHandle, "db" | "listen">, options: StartOptions = {}): Promise<OnAirServer> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const env = loadEnv({
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: url,
    LOG_LEVEL: "silent",
    SWEEP_INTERVAL_MS: "0",
    AUTH_RATE_LIMIT: "1000000",
    LIVEKIT_URL: LIVEKIT.url,
    LIVEKIT_API_KEY: LIVEKIT.apiKey,
    LIVEKIT_API_SECRET: LIVEKIT.apiSecret,
    ...options.env,
  });
  const app = await buildApp({ env, database, rooms });
  const { onResponse } = options;
  if (onResponse) app.addHook("onResponse", async (request, reply) => onResponse(request.url, reply.elapsedTime));
  await app.listen({ port, host: "127.0.0.1" });
  return { url: `http://127.0.0.1:${port}`, publicUrl: url, db: database.db, close: () => app.close() };
}
