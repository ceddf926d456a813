import { probeLiveKit } from "@onair/api";
import { lockDataDir, openDatabase, type Bus, type DatabaseHandle } from "@onair/db";
import { buildApp } from "./app";
import { EnvError, loadEnv } from "./env";
import { installLastResort } from "./last-resort";
import { openBus, type BusLog } from "./open-bus";
import { describeUrl, migrateWhenReady } from "./wait-for-database";
import { startWarnings } from "./start-warnings";

const SHUTDOWN_DEADLINE_MS = 5000;

function fail(message: string): never {
  console.error(`\nOnAir cannot start: ${message}\n`);
  process.exit(1);
}

async function main() {
  let env;
  try {
    env = loadEnv();
  } catch (error) {
    fail(error instanceof EnvError ? error.message : String(error));
  }

  // Before the app's logger exists, errors nothing handled go to stderr.
  let log: Parameters<typeof installLastResort>[0]["log"] = () => ({
    error: (context, message) => console.error(message, context),
    fatal: (context, message) => console.error(message, context),
  });
  installLastResort({ log: () => log(), production: env.production });

  let release = () => {};
  let handle: DatabaseHandle;
  if (env.DATABASE_URL) {
    handle = openDatabase({ url: env.DATABASE_URL });
  } else {
    try {
      release = lockDataDir(env.DATA_DIR);
    } catch (error) {
      fail((error as Error).message);
    }
    handle = openDatabase({ dataDir: `${env.DATA_DIR}/pg` });
  }
  try {
    const where = env.DATABASE_URL ? describeUrl(env.DATABASE_URL) : `${env.DATA_DIR}/pg`;
    await migrateWhenReady(handle, where, { timeoutMs: 60_000, retryMs: 1000, say: (line) => console.error(line) });
  } catch (error) {
    await handle.close().catch(() => {});
    release();
    fail(error instanceof Error ? error.message : String(error));
  }

  // Until the app's logger exists, what the bus says goes to stderr.
  let busLog: BusLog = { info: (_context, message) => console.error(message), warn: (_context, message) => console.error(message) };
  let bus: Bus;
  try {
    bus = await openBus(env, handle, () => busLog);
  } catch (error) {
    await handle.close().catch(() => {});
    release();
    fail(error instanceof Error ? error.message : String(error));
  }

  const app = await buildApp({
    env,
    database: handle,
    bus,
    logger: {
      level: env.LOG_LEVEL,
      redact: ["req.headers.authorization", "req.headers.cookie", 'res.headers["set-cookie"]'],
    },
  });

  log = () => app.log;
  busLog = app.log;

  let stopping = false;
  async function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, "shutting down");
    const deadline = setTimeout(() => {
      release();
      process.exit(0);
    }, SHUTDOWN_DEADLINE_MS - 250);
    deadline.unref();
    try {
      await app.close();
      await bus.close();
      await handle.close();
    } finally {
      release();
      clearTimeout(deadline);
      process.exit(0);
    }
  }
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));

  await app.listen({ port: env.PORT, host: env.HOST });
  for (const warning of startWarnings(env)) app.log.warn(warning);
  app.log.info(
    { url: env.PUBLIC_URL, database: handle.kind === "pglite" ? `PGlite in ${env.DATA_DIR}` : "PostgreSQL", bus: bus.kind },
    `OnAir is ready (events between instances: ${bus.kind === "redis" ? "Redis" : "PostgreSQL LISTEN/NOTIFY"})`,
  );
  const livekit = await probeLiveKit(env.livekit.apiUrl);
  if (!livekit.reachable) {
    app.log.warn(
      { livekitApiUrl: env.livekit.apiUrl, reason: livekit.reason },
      `LiveKit is not answering at ${env.livekit.apiUrl} (${livekit.reason}): going live opens broadcasts but no video flows until it does. Start \`livekit-server --dev\` or set LIVEKIT_URL / LIVEKIT_API_URL.`,
    );
  }
}

void main();
