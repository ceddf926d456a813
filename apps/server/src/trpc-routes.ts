import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from "@trpc/server/adapters/fastify";
import type { AnyRouter } from "@trpc/server";
import type { FastifyInstance } from "fastify";
import { canonicalJsonContentType, MAX_BATCH, refusalAnswer, trpcRefusal, type Refusal, type SubscriptionLimit } from "./trpc-lane";

/**
 * /trpc through tRPC's official Fastify adapter, behind the guard every tRPC request passes on both
 * paths (trpc-lane/trpc-guard.ts): a refused request is answered before its body is read or any call runs.
 * Answers say `Vary: Origin` (CORS and the cookie check depend on it; tRPC's own Vary would replace @fastify/cors's).
 */
export interface TRPCRoutesOptions<TRouter extends AnyRouter> {
  trpcOptions: FastifyTRPCPluginOptions<TRouter>["trpcOptions"];
  /** Origins trusted for cookie-authenticated calls. */
  origins: string[];
  /** Shared with the lane: subscriptions open per client address. */
  subscriptions: SubscriptionLimit;
}

export async function registerTRPCRoutes<TRouter extends AnyRouter>(
  app: FastifyInstance,
  { trpcOptions, origins, subscriptions }: TRPCRoutesOptions<TRouter>,
) {
  const trusted = new Set(origins);
  const router = trpcOptions.router;
  const procedures = router._def.procedures as Record<string, { _def?: { type?: string } } | undefined>;
  const isSubscription = (path: string) => Object.hasOwn(procedures, path) && procedures[path]?._def?.type === "subscription";
  await app.register(async (scope) => {
    scope.addHook("onRequest", function trpcGuard(request, reply, done) {
      const path = (request.params as { path?: string }).path ?? "";
      let refusal: Refusal | null = trpcRefusal(request.raw.method, path, request.headers, trusted);
      if (!refusal && request.raw.method === "GET" && isSubscription(decodeURIComponent(path))) {
        const end = subscriptions.open(request.ip);
        if (end) reply.raw.once("close", end);
        else refusal = { code: "TOO_MANY_REQUESTS", message: "Too many live updates open from this address; close some and try again" };
      }
      if (!refusal) {
        // The guard took this JSON type (any case), as the lane does: tRPC's adapter must take it too.
        const type = request.raw.headers["content-type"];
        if (request.raw.method === "POST" && type !== undefined) request.raw.headers["content-type"] = canonicalJsonContentType(type);
        return done();
      }
      const { status, json } = refusalAnswer(router, refusal);
      if (refusal.code === "METHOD_NOT_SUPPORTED") reply.header("allow", "GET, POST, HEAD, OPTIONS");
      void reply.status(status).header("vary", "Origin").type("application/json").send(json);
    });
    scope.addHook("onSend", function varyOrigin(_request, reply, payload, done) {
      // tRPC answers with a fetch Response whose headers replace the reply's: add Origin to its Vary.
      if (payload instanceof Response) payload.headers.append("vary", "Origin");
      done(null, payload);
    });
    await scope.register(fastifyTRPCPlugin<TRouter>, { prefix: "/trpc", trpcOptions: { ...trpcOptions, maxBatchSize: MAX_BATCH } });
  });
}
