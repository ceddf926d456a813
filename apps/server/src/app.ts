import cors from "@fastify/cors";
import rateLimit from "@fastify/rate-limit";
import type { CreateFastifyContextOptions, FastifyTRPCPluginOptions } from "@trpc/server/adapters/fastify";
import { sql } from "drizzle-orm";
import type { IncomingMessage, ServerResponse } from "node:http";
import Fastify, { type FastifyServerOptions } from "fastify";
import type { TRPCError } from "@trpc/server";
import {
  appRouter,
  cachedLiveKitProbe,
  createCallerFactory,
  createServices,
  createTRPCContext,
  endSubscriptions,
  stopServices,
  type AppRouter,
  type LiveKitRooms,
} from "@onair/api";
import { createAuth, fromNodeHeaders } from "@onair/auth";
import { databaseBus, type Bus, type DatabaseHandle } from "@onair/db";
import { registerAlerts } from "./alerts";
import { registerAuthRoutes } from "./auth-routes";
import type { Env } from "./env";
import { clientIpOf } from "./client-ip";
import { DEFAULT_LIMITS, registerHttpGuards, type EdgeLimits } from "./http-guard";
import { registerLiveKitWebhook } from "./livekit-webhook";
import { requestForLog } from "./log-redact";
import { createMailer } from "./mail";
import { appSecurityHeaders, registerSecurityHeaders } from "./security-headers";
import { startSweeper } from "./sweeper";
import { registerTRPCRoutes } from "./trpc-routes";
import {
  closedWithin,
  createFastLane,
  createSubscriptionLimit,
  laneOffReason,
  laneServerFactory,
  STREAM_END_GRACE_MS,
  type FastLane,
} from "./trpc-lane";
import { channelPreloader, defaultWebDist, registerWeb } from "./web";

/** How long closing waits for account mail still being sent. */
const MAIL_DRAIN_MS = 2000;

/** `work` settled, or `ms` passed. */
async function settledWithin(work: Promise<unknown>, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => {}), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** `/healthz` answers 503 when the database has not answered within this. */
export const HEALTH_TIMEOUT_MS = 2000;

export interface BuildAppOptions {
  env: Env;
  /** An open, migrated database (`openDatabase` or `createTestDatabase`). */
  database: Pick<DatabaseHandle, "db" | "listen">;
  logger?: FastifyServerOptions["logger"];
  /** Replaces LiveKit's room API client (tests). */
  rooms?: LiveKitRooms;
  /**
   * Default `env.TRPC_FAST_LANE`: true, plain tRPC calls and SSE subscriptions are answered in front of
   * Fastify (src/trpc-lane) when the app listens; false, all go through the official adapter.
   */
  trpcFastLane?: boolean;
  /** The bus between instances (main.ts opens Redis for BUS_URL); default: the database's LISTEN/NOTIFY. */
  bus?: Pick<Bus, "kind" | "listen">;
  /** Bounds on what clients hold open (http-guard.ts; defaults: DEFAULT_LIMITS, and `env.SUBSCRIPTIONS_PER_ADDRESS`). */
  limits?: Partial<EdgeLimits>;
  /** How often the go-live alert worker looks for work (default 500 ms; 0: never). */
  alertIntervalMs?: number;
}

/** Fastify's own reading of a hop count (its types accept only the function form). */
const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

/** True when the database answers `select 1` within HEALTH_TIMEOUT_MS. */
async function databaseAnswers(db: DatabaseHandle["db"]): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), HEALTH_TIMEOUT_MS)));
  try {
    return await Promise.race([db.execute(sql`select 1`).then(() => true), late]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** The whole HTTP surface, not listening: `main.ts` listens; tests call `app.inject()`. */
export async function buildApp({
  env,
  database,
  logger = false,
  rooms,
  trpcFastLane = env.TRPC_FAST_LANE === "on",
  limits: given,
  bus = databaseBus(database),
  alertIntervalMs = 500,
}: BuildAppOptions) {
  const { db } = database;
  const limits = { ...DEFAULT_LIMITS, subscriptionsPerClient: env.SUBSCRIPTIONS_PER_ADDRESS, ...given };
  const subscriptions = createSubscriptionLimit(limits.subscriptionsPerClient);
  // TRUST_PROXY: unset trusts no X-Forwarded-For; a hop count trusts that many proxies in front.
  const trustProxy = typeof env.TRUST_PROXY === "number" ? trustHops(env.TRUST_PROXY) : env.TRUST_PROXY;
  /** Set once the app is assembled; until then (and with the lane off) Fastify answers everything. */
  let fastLane: FastLane | undefined;
  const app = Fastify({
    logger: logger && typeof logger === "object" ? { ...logger, serializers: { req: requestForLog, ...logger.serializers } } : logger,
    trustProxy,
    requestTimeout: limits.requestTimeoutMs,
    routerOptions: { maxParamLength: 5000 },
    forceCloseConnections: true,
    serverFactory: laneServerFactory(() => fastLane, limits),
  });
  const sendMail = createMailer(env, app.log);
  const auth = createAuth({
    db,
    secret: env.BETTER_AUTH_SECRET,
    baseURL: env.PUBLIC_URL,
    trustedOrigins: env.origins,
    adminEmails: env.ADMIN_EMAILS,
    adminEmailsNeedReset: env.production,
    firstUserIsAdmin: env.firstUserIsAdmin,
    welcomeCoins: env.WELCOME_COINS,
    passwordAttemptsPerMinute: env.AUTH_RATE_LIMIT,
    sendMail,
    mailsPerAddressPerHour: env.MAIL_RATE_LIMIT,
    mailLog: app.log,
  });
  // Mail queued by the last requests goes out (or fails) before the database closes; bounded.
  app.addHook("onClose", () => settledWithin(auth.accountMail.idle(), MAIL_DRAIN_MS));

  registerHttpGuards(app);
  const services = await createServices({
    handle: { db, listen: bus.listen },
    livekit: env.livekit,
    log: app.log,
    rooms,
    ingress: env.INGRESS === "on",
    production: env.production,
  });
  app.addHook("onClose", () => stopServices(services));
  // Closing: every subscription completes, so its stream ends with tRPC's `return` frame (on both
  // paths) before Fastify cuts the connections; a stream still open after a moment is cut.
  const adapterStreams = new Set<ServerResponse>();
  app.addHook("onRequest", async (request, reply) => {
    if (!request.url.startsWith("/trpc/") || !request.headers.accept?.includes("text/event-stream")) return;
    adapterStreams.add(reply.raw);
    reply.raw.once("close", () => adapterStreams.delete(reply.raw));
  });
  app.addHook("preClose", async () => {
    endSubscriptions(services);
    await closedWithin([...adapterStreams], STREAM_END_GRACE_MS);
  });

  // @fastify/helmet's exact headers, worked out once instead of on every request (security-headers.ts).
  const securityHeaders = await registerSecurityHeaders(
    app,
    appSecurityHeaders({ production: env.production, livekitUrl: env.LIVEKIT_URL }),
  );
  await app.register(cors, {
    origin: env.origins,
    credentials: true,
    exposedHeaders: ["set-auth-token"],
  });
  await app.register(rateLimit, { global: false });

  // The database alone decides 200/503; LiveKit's reachability is reported beside it. Both bounded in time.
  const probeLiveKit = cachedLiveKitProbe(env.livekit.apiUrl);
  app.get("/healthz", async (_request, reply) => {
    // Bounded: a database that hangs is a 503 within HEALTH_TIMEOUT_MS, not a hung probe.
    const [database, livekit] = await Promise.all([databaseAnswers(db), probeLiveKit()]);
    const report = { livekit: livekit.reachable ? "reachable" : "unreachable", bus: bus.kind };
    if (database) return { status: "ok", database: "ok", ...report };
    return reply.status(503).send({ status: "unavailable", reason: "database is not answering", database: "unavailable", ...report });
  });

  await registerAuthRoutes(app, { auth, publicUrl: env.PUBLIC_URL, perMinute: env.AUTH_RATE_LIMIT });

  const contextFor = (headers: IncomingMessage["headers"]) => createTRPCContext({ headers: fromNodeHeaders(headers), db, auth, services });
  const onError = ({ error, path }: { error: TRPCError; path: string | undefined }) => {
    if (error.code === "INTERNAL_SERVER_ERROR") app.log.error({ err: error, path }, "tRPC procedure failed");
  };
  const trpcOptions: FastifyTRPCPluginOptions<AppRouter>["trpcOptions"] = {
    router: appRouter,
    createContext: ({ req }: CreateFastifyContextOptions) => contextFor(req.headers),
    onError,
  };
  await registerTRPCRoutes(app, { trpcOptions, origins: env.origins, subscriptions });

  await registerLiveKitWebhook(app, services);
  startSweeper(app, services, env.SWEEP_INTERVAL_MS);
  await registerAlerts(app, services, {
    send: sendMail,
    publicUrl: env.PUBLIC_URL,
    secret: env.BETTER_AUTH_SECRET,
    intervalMs: alertIntervalMs,
  });
  // A channel page's HTML carries the channel and the visitor's viewer token: no round trip before playing.
  const createCaller = createCallerFactory(appRouter);
  const channel = channelPreloader((headers) => createCaller(contextFor(headers)));
  await registerWeb(app, env.WEB_DIST ?? defaultWebDist, { channel, livekitUrl: env.LIVEKIT_URL });

  // Plain queries, mutations and SSE subscriptions take the fast lane (protocol-exact); the rest the official adapter.
  const laneOff = laneOffReason({ setting: trpcFastLane ? "on" : "off", securityHeaders });
  app.addHook("onListen", function trpcLaneLog(done) {
    if (laneOff) app.log.info({ trpcLane: "off", reason: laneOff }, `tRPC is served by tRPC's Fastify adapter only: ${laneOff}`);
    else app.log.info({ trpcLane: "on" }, "tRPC is served by the fast lane (src/trpc-lane), the rest by tRPC's Fastify adapter");
    done();
  });
  if (!laneOff && securityHeaders) {
    const lane = createFastLane({
      router: appRouter,
      createContext: contextFor,
      onError,
      prefix: "/trpc/",
      securityHeaders,
      origins: env.origins,
      log: app.log,
      subscriptions,
      clientIp: clientIpOf(trustProxy),
    });
    // Before the database goes: calls under way finish, streams are cut (clients reconnect elsewhere),
    // new requests go to Fastify, which is closing too.
    app.addHook("preClose", () => lane.close());
    fastLane = lane;
  }
  return app;
}
