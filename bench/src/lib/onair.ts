import { Writable } from "node:stream";
import { openDatabase, type Database, type DatabaseHandle } from "@onair/db";
import { createTestDatabase } from "@onair/db/testing";
import { noLiveKitRooms, startServer, type ServerOptions } from "@onair/server/testing";
import { postgresUrl, trpcFastLane } from "./config";

export type DbKind = "PGlite" | "PostgreSQL";

/** Database kinds this invocation runs: PGlite always, PostgreSQL when the environment names one. */
export const dbKinds = (): DbKind[] => (postgresUrl ? ["PGlite", "PostgreSQL"] : ["PGlite"]);

export const LIVEKIT = { url: "ws://localhost:7880", apiKey: "devkey", apiSecret: "secret" };

export interface BenchDatabase {
  handle: DatabaseHandle;
  /** A second connection pool to the same database (a second server instance); PGlite: the same handle. */
  another(): DatabaseHandle;
  /** The PostgreSQL database's URL (for baselines that connect on their own); PGlite: none. */
  url?: string | undefined;
}

/** A fresh, migrated database: in-memory PGlite, or a new database on the PostgreSQL server (dropped on close). */
export async function openBenchDatabase(kind: DbKind): Promise<BenchDatabase> {
  if (kind === "PostgreSQL") {
    const handle = await createTestDatabase();
    return { handle, another: () => handle.openAnother(), url: handle.url };
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
  /** buildApp's limits (default: no per-address subscription cap). */
  limits?: ServerOptions["limits"];
  /** The bus between instances (default: the database's LISTEN/NOTIFY). */
  bus?: ServerOptions["bus"];
  /** Called with each response's path and its server time (ms), from the server's "request completed" logs. */
  onResponse?: (url: string, elapsedMs: number) => void;
}

/**
 * A log stream that hands each "request completed" line's URL and `responseTime` to `onResponse`:
 * the fast lane names the URL in that line; Fastify names it in the request's "incoming request" line.
 */
function responseTimes(onResponse: NonNullable<StartOptions["onResponse"]>): Writable {
  const urls = new Map<string, string>();
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n")) {
        if (!line) continue;
        const entry = JSON.parse(line) as { msg?: string; reqId?: string; req?: { url?: string }; responseTime?: number };
        if (entry.msg === "incoming request" && entry.reqId && entry.req?.url) urls.set(entry.reqId, entry.req.url);
        if (entry.msg !== "request completed" || entry.responseTime === undefined) continue;
        const url = entry.req?.url ?? (entry.reqId ? urls.get(entry.reqId) : undefined);
        if (entry.reqId) urls.delete(entry.reqId);
        if (url) onResponse(url, entry.responseTime);
      }
      done();
    },
  });
}

export async function startOnAir(database: Pick<DatabaseHandle, "db" | "listen">, options: StartOptions = {}): Promise<OnAirServer> {
  const { onResponse } = options;
  const logger = onResponse ? { level: "info", stream: responseTimes(onResponse) } : false;
  const { app, port, url } = await startServer(
    database,
    {
      NODE_ENV: "development",
      HOST: "127.0.0.1",
      LOG_LEVEL: "silent",
      AUTH_RATE_LIMIT: "1000000",
      LIVEKIT_URL: LIVEKIT.url,
      LIVEKIT_API_KEY: LIVEKIT.apiKey,
      LIVEKIT_API_SECRET: LIVEKIT.apiSecret,
      TRPC_FAST_LANE: trpcFastLane,
      ...options.env,
    },
    // The bench's thousand subscribers all come from 127.0.0.1: no per-client cap on subscriptions here.
    {
      rooms: noLiveKitRooms,
      logger,
      limits: { subscriptionsPerClient: Infinity, ...options.limits },
      ...(options.bus ? { bus: options.bus } : {}),
    },
  );
  return { url: `http://127.0.0.1:${port}`, publicUrl: url, db: database.db, close: () => app.close() };
}
