import { Writable } from "node:stream";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter, LiveKitRooms } from "@onair/api";
import type { DatabaseHandle } from "@onair/db";
import { freePort } from "@onair/db/testing";
import { buildApp, type BuildAppOptions } from "./app";
import { loadEnv } from "./env";

/**
 * The one server test harness (`@onair/server/testing`): real servers on free ports, their logs, a
 * typed client. The server's own tests, the typed-client tests, the browser suite (e2e) and the
 * benchmarks all start OnAir through `startServer`.
 */

export { freePort };

/** No LiveKit server here: room API calls succeed without doing anything. */
export const noLiveKitRooms: LiveKitRooms = {
  deleteRoom: async () => true,
  updateRoomMetadata: async () => true,
  listParticipants: async () => [],
  removeParticipant: async () => true,
  updateParticipant: async () => true,
};

export type LogLine = {
  msg?: string;
  level?: number;
  lane?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  [key: string]: unknown;
};

/** A pino destination collecting parsed lines. */
export function logCollector() {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { lines, stream };
}

/**
 * `buildApp`'s options besides env and database. `rooms` defaults to `noLiveKitRooms`; pass
 * `rooms: undefined` for the real room API at LIVEKIT_API_URL. `logger` defaults to info lines
 * collected in `logs` (pass `false` for none).
 */
export type ServerOptions = Omit<BuildAppOptions, "env" | "database">;

export type TestServer = Awaited<ReturnType<typeof startServer>>;

/**
 * A real OnAir server listening on 127.0.0.1 (one instance; start several on one database). `env`
 * adds to or overrides the test configuration; a given PORT is used as is (else a free one).
 */
export async function startServer(
  database: Pick<DatabaseHandle, "db" | "listen">,
  env: Record<string, string> = {},
  options: ServerOptions = {},
) {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const url = `http://localhost:${port}`;
  const logs = logCollector();
  const app = await buildApp({
    env: loadEnv({ NODE_ENV: "test", PORT: String(port), AUTH_RATE_LIMIT: "1000", SWEEP_INTERVAL_MS: "0", ...env }),
    database,
    rooms: noLiveKitRooms,
    logger: { level: "info", stream: logs.stream },
    ...options,
  });
  await app.listen({ port, host: "127.0.0.1" });
  /** Whether the fast lane answered a request for this URL (path and query) in the log lines from `since` on: only the lane's say `lane`. */
  const servedByLane = (pathAndQuery: string, since = 0) =>
    logs.lines.slice(since).some((line) => line.lane === "trpc" && line.req?.url === pathAndQuery);
  return { app, port, url, logs: logs.lines, servedByLane };
}

/** Signs up over HTTP (`<username>@example.com`); the session token, as a service gets it. */
export async function signUp(url: string, username: string, password = "service-pass-1"): Promise<string> {
  const response = await fetch(`${url}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify({ email: `${username}@example.com`, password, name: username, username }),
  });
  const token = response.headers.get("set-auth-token");
  if (response.status !== 200 || !token) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  return token;
}

/** A typed client calling as a service does (bearer token). */
export function client(url: string, token?: string) {
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  return createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${url}/trpc`, transformer: superjson, headers: () => headers })] });
}
