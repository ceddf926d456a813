import cors from "@fastify/cors";
import rateLimit from "@fastify/rate-limit";
import { fastifyTRPCPlugin, type CreateFastifyContextOptions, type FastifyTRPCPluginOptions } from "@trpc/server/adapters/fastify";
import { sql } from "drizzle-orm";
import Fastify, { type FastifyServerOptions } from "fastify";
import { appRouter, createServices, createTRPCContext, stopServices, type AppRouter, type LiveKitRooms } from "@onair/api";
import { createAuth, fromNodeHeaders } from "@onair/auth";
import type { DatabaseHandle } from "@onair/db";
import { registerAuthRoutes } from "./auth-routes";
import type { Env } from "./env";
import { registerFastTRPC } from "./fast-trpc";
import { registerLiveKitWebhook } from "./livekit-webhook";
import { appSecurityHeaders, registerSecurityHeaders } from "./security-headers";
import { startSweeper } from "./sweeper";
import { defaultWebDist, registerWeb } from "./web";

export interface BuildAppOptions {
  env: Env;
  /** An open, migrated database (`openDatabase` or `createTestDatabase`). */
  database: Pick<DatabaseHandle, "db" | "listen">;
  logger?: FastifyServerOptions["logger"];
  /** Replaces LiveKit's room API client (tests). */
  rooms?: LiveKitRooms;
  /** false: every tRPC call goes through the official adapter (comparison tests). Default true. */
  trpcFastPath?: boolean;
}

/** The whole HTTP surface, not listening: `main.ts` listens; tests call `app.inject()`. */
export async function buildApp({ env, database, logger = false, rooms, trpcFastPath = true }: BuildAppOptions) {
  const { db } = database;
  const app = Fastify({
    logger,
    trustProxy: env.production,
    routerOptions: { maxParamLength: 5000 },
    forceCloseConnections: true,
  });
  const auth = createAuth({
    db,
    secret: env.BETTER_AUTH_SECRET,
    baseURL: env.PUBLIC_URL,
    trustedOrigins: env.origins,
    adminEmails: env.ADMIN_EMAILS,
    firstUserIsAdmin: env.firstUserIsAdmin,
    welcomeCoins: env.WELCOME_COINS,
  });

  const services = await createServices({ handle: database, livekit: env.livekit, log: app.log, rooms });
  app.addHook("onClose", () => stopServices(services));

  // @fastify/helmet's exact headers, worked out once instead of on every request (security-headers.ts).
  await registerSecurityHeaders(app, appSecurityHeaders({ production: env.production, livekitUrl: env.LIVEKIT_URL }));
  await app.register(cors, {
    origin: env.origins,
    credentials: true,
    exposedHeaders: ["set-auth-token"],
  });
  await app.register(rateLimit, { global: false });

  app.get("/healthz", async (_request, reply) => {
    try {
      await db.execute(sql`select 1`);
      return { status: "ok" };
    } catch {
      return reply.status(503).send({ status: "unavailable", reason: "database is not answering" });
    }
  });

  await registerAuthRoutes(app, { auth, publicUrl: env.PUBLIC_URL, perMinute: env.AUTH_RATE_LIMIT });

  const trpcOptions: FastifyTRPCPluginOptions<AppRouter>["trpcOptions"] = {
    router: appRouter,
    createContext: ({ req }: CreateFastifyContextOptions) =>
      createTRPCContext({ headers: fromNodeHeaders(req.headers), db, auth, services }),
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") app.log.error({ err: error, path }, "tRPC procedure failed");
    },
  };
  // Plain queries and mutations take the lean, protocol-exact path; subscriptions and the rest the official adapter.
  if (trpcFastPath) registerFastTRPC(app, { prefix: "/trpc", trpcOptions });
  await app.register(fastifyTRPCPlugin<AppRouter>, { prefix: "/trpc", trpcOptions });

  await registerLiveKitWebhook(app, services);
  startSweeper(app, services, env.SWEEP_INTERVAL_MS);
  await registerWeb(app, env.WEB_DIST ?? defaultWebDist);
  return app;
}
