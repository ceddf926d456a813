import type { AnyRouter } from "@trpc/server";
import type { FastifyTRPCPluginOptions } from "@trpc/server/adapters/fastify";
import { getHTTPStatusCode } from "@trpc/server/http";
import {
  getErrorShape,
  getTRPCErrorFromUnknown,
  isAsyncIterable,
  isObject,
  isPromise,
  TRPCError,
  type TRPCRequestInfo,
} from "@trpc/server/unstable-core-do-not-import";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { parseFastRequest } from "./fast-trpc-request";

/**
 * A lean handler for tRPC's non-streaming HTTP calls (GET queries and POST mutations, batched or not,
 * JSON bodies), answering exactly as `@trpc/server`'s Fastify adapter does — same status, headers and
 * body bytes — without its per-call Fetch `Request`/`Response`, web streams and abort signals. It calls
 * the router's own procedures (validation, middlewares) and builds answers with `getErrorShape` (the
 * router's error formatter), the transformer and `getHTTPStatusCode`; requests are read as tRPC's
 * `getRequestInfo` reads them (fast-trpc-request.ts).
 *
 * Registered before the official plugin, as a preHandler of its route: anything else — subscriptions
 * (SSE), `trpc-accept`/JSONL streaming, form data, unknown paths, wrong methods, connection params,
 * malformed requests — falls through to the official adapter untouched. As with `createCaller`,
 * procedures get no abort signal here (only subscriptions use one, and they never come this way).
 */

type TrpcOptions<TRouter extends AnyRouter> = FastifyTRPCPluginOptions<TRouter>["trpcOptions"];
type Call = TRPCRequestInfo["calls"][number];
type Outcome = { error: TRPCError; data?: undefined } | { error?: undefined; data: unknown };
type Kind = "query" | "mutation";

const STREAM_LIKE = "Cannot use stream-like response in non-streaming request - use httpBatchStreamLink";

/** Mirrors resolveResponse's check: a result that would need a streaming link. */
function isDataStream(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (isAsyncIterable(value)) return true;
  return Object.values(value).some(isPromise) || Object.values(value).some(isAsyncIterable);
}

/** Whether the official adapter must answer this one (see above). */
function declines(request: FastifyRequest): boolean {
  const { method, headers } = request;
  if (headers["trpc-accept"] !== undefined || headers.accept?.includes("application/jsonl")) return true;
  const type = headers["content-type"];
  if (method === "GET") return type !== undefined && !type.startsWith("application/json");
  if (method === "POST") return !type?.startsWith("application/json") || typeof request.body !== "string";
  return true;
}

export function registerFastTRPC<TRouter extends AnyRouter>(app: FastifyInstance, opts: { prefix: string; trpcOptions: TrpcOptions<TRouter> }) {
  const { router, createContext, onError } = opts.trpcOptions;
  const options = opts.trpcOptions as unknown as Record<string, unknown>;
  // Options that change the protocol are the official adapter's alone.
  if (options.responseMeta || options.allowMethodOverride || options.maxBatchSize || options.allowBatching === false || options.batching) return;
  const config = router._def._config;
  const serialize = config.transformer.output.serialize;
  /** Serialized results of frozen (cached, immutable) objects, e.g. a channel's public view. */
  const serialized = new WeakMap<object, string>();

  function resultJson(data: unknown): string {
    const frozen = typeof data === "object" && data !== null && Object.isFrozen(data);
    let json = frozen ? serialized.get(data) : undefined;
    if (json === undefined) {
      json = JSON.stringify(serialize(data));
      if (frozen) serialized.set(data as object, json);
    }
    return `{"result":{"data":${json}}}`;
  }

  async function call(request: FastifyRequest, kind: Kind, item: Call, ctx: unknown, ctxError: TRPCError | undefined): Promise<Outcome> {
    try {
      if (ctxError) throw ctxError;
      const procedure = item.procedure!;
      return { data: await procedure({ path: item.path, getRawInput: item.getRawInput, ctx, type: kind, signal: undefined, batchIndex: item.batchIndex }) };
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      onError?.({ error, path: item.path, input: item.result(), ctx, type: kind, req: request });
      return { error };
    }
  }

  async function handle(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    if (declines(request)) return false;
    const query = request.url.indexOf("?");
    const searchParams = new URLSearchParams(query < 0 ? "" : request.url.slice(query + 1));
    if (searchParams.has("connectionParams")) return false;
    const kind: Kind = request.method === "GET" ? "query" : "mutation";
    let info: TRPCRequestInfo | null;
    try {
      const path = decodeURIComponent((request.params as { path: string }).path);
      const encrypted = (request.raw.socket as { encrypted?: boolean } | undefined)?.encrypted;
      const url = new URL(`${encrypted ? "https" : "http"}://${request.headers.host ?? "localhost"}${request.url}`);
      info = parseFastRequest(router, { kind, searchParams, body: request.body, path, accept: null, url });
    } catch {
      return false;
    }
    if (!info) return false;

    let ctx: unknown;
    let ctxError: TRPCError | undefined;
    try {
      ctx = await createContext?.({ req: request, res: reply, info });
    } catch (cause) {
      ctxError = getTRPCErrorFromUnknown(cause);
    }
    const outcomes = await Promise.all(info.calls.map((item) => call(request, kind, item, ctx, ctxError)));

    const errorJson = (error: TRPCError, item: Call | undefined) => {
      const shape = getErrorShape({ config, ctx, error, input: item?.result(), path: item?.path, type: kind });
      return { json: `{"error":${JSON.stringify(serialize(shape))}}`, status: getHTTPStatusCode({ error: shape }) };
    };
    if (!info.isBatchCall) {
      const { error, data } = outcomes[0]!;
      if (!error && isDataStream(data)) {
        // resolveResponse answers this from its outer catch: one error, without path or input.
        const streamError = new TRPCError({ code: "UNSUPPORTED_MEDIA_TYPE", message: STREAM_LIKE });
        onError?.({ error: streamError, path: undefined, input: undefined, ctx, type: kind, req: request });
        const answer = errorJson(streamError, undefined);
        return send(reply, answer.json, answer.status);
      }
      const answer = error ? errorJson(error, info.calls[0]) : { json: resultJson(data), status: 200 };
      return send(reply, answer.json, answer.status);
    }
    const statuses = new Set<number>();
    const items = outcomes.map(({ error, data }, index) => {
      if (!error && isDataStream(data)) error = new TRPCError({ code: "UNSUPPORTED_MEDIA_TYPE", message: STREAM_LIKE });
      const answer = error ? errorJson(error, info.calls[index]) : { json: resultJson(data), status: 200 };
      statuses.add(answer.status);
      return answer.json;
    });
    // getHTTPStatusCode for a batch: the one status all items share, else 207.
    return send(reply, `[${items.join(",")}]`, statuses.size === 1 ? statuses.values().next().value! : 207);
  }

  function send(reply: FastifyReply, json: string, status: number): true {
    // A Buffer: Fastify would add "; charset=utf-8" to a string's content-type, the official adapter does not.
    void reply.status(status).header("vary", "trpc-accept, accept").header("content-type", "application/json").send(Buffer.from(json));
    return true;
  }

  async function trpcFastPath(request: FastifyRequest, reply: FastifyReply) {
    if (await handle(request, reply)) return reply;
  }
  const url = `${opts.prefix}/:path`;
  app.addHook("onRoute", (route) => {
    if (route.url !== url) return;
    route.preHandler = [trpcFastPath, ...(route.preHandler ? [route.preHandler].flat() : [])];
  });
}
