import type { IncomingHttpHeaders } from "node:http";
import type { AnyRouter } from "@trpc/server";
import { getHTTPStatusCode } from "@trpc/server/http";
import {
  getErrorShape,
  getTRPCErrorFromUnknown,
  isAsyncIterable,
  isObject,
  isPromise,
  TRPCError,
  type TRPCErrorShape,
  type TRPCRequestInfo,
} from "@trpc/server/unstable-core-do-not-import";
import { isJsonContentType } from "./trpc-guard";
import { invokeProcedure } from "./invoke";
import type { Entry, Handover } from "@onair/api";
import { chunkFormatter, subscriptionFrames, type SubscriptionContext } from "./sse";
import { createResultJson } from "./json";
import { parseFastRequest, type Kind as RequestKind, type RequestInputs } from "./request";

/**
 * The fast lane's handler for tRPC's HTTP calls — GET queries and POST mutations (batched or not, JSON bodies),
 * and unbatched GET subscriptions over SSE (sse.ts) — answering exactly as `@trpc/server`'s
 * Fastify adapter does (same status, headers, body bytes and frames) without its per-call Fetch
 * `Request`/`Response` and web streams. It calls the router's own procedures' middlewares (validation,
 * `.use()`s, resolvers: invoke.ts) and builds answers with `getErrorShape` (the router's error
 * formatter), the transformer and `getHTTPStatusCode`; requests are read as tRPC's `getRequestInfo`
 * reads them (request.ts). It knows no HTTP framework: lane.ts serves it from node:http.
 *
 * Anything else — `trpc-accept`/JSONL streaming, form data, unknown paths, wrong methods, connection
 * params, batched subscriptions, non-default SSE settings — is declined (`null`) and goes to the
 * official adapter untouched. As with `createCaller`, queries and mutations get no abort signal
 * (subscriptions get one that aborts when the client goes away).
 */

export interface FastTRPCOptions<TRouter extends AnyRouter> {
  router: TRouter;
  createContext: (headers: IncomingHttpHeaders) => unknown;
  onError?: (opts: { error: TRPCError; path: string | undefined; input: unknown; ctx: unknown; type: RequestKind; req: unknown }) => void;
}

export interface FastTRPCRequest {
  method: string | undefined;
  /** The decoded path after the prefix, e.g. `stream.byUsername,stream.live`. */
  path: string;
  /** The query string, without "?". */
  query: string;
  headers: IncomingHttpHeaders;
}

export interface FastTRPCAnswer {
  status: number;
  json: string;
}

type Call = TRPCRequestInfo["calls"][number];
type Outcome = { error: TRPCError; data?: undefined } | { error?: undefined; data: unknown };
type Kind = Exclude<RequestKind, "subscription">;

const STREAM_LIKE = "Cannot use stream-like response in non-streaming request - use httpBatchStreamLink";

/** Mirrors resolveResponse's check: a result that would need a streaming link. */
function isDataStream(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (isAsyncIterable(value)) return true;
  return Object.values(value).some(isPromise) || Object.values(value).some(isAsyncIterable);
}

/** Whether the official adapter must answer a request with this method and these headers. */
export function declinesTRPC(method: string | undefined, headers: IncomingHttpHeaders): boolean {
  if (headers["trpc-accept"] !== undefined || headers.accept?.includes("application/jsonl")) return true;
  const type = headers["content-type"];
  if (method === "GET") return type !== undefined && !type.startsWith("application/json");
  if (method === "POST") return !isJsonContentType(type);
  return true;
}

/** A request the fast lane takes: `answer` once its body (a POST's) is in. */
export class PreparedCall {
  constructor(
    private readonly handler: FastTRPCHandler,
    private readonly kind: Kind,
    private readonly info: TRPCRequestInfo,
    private readonly inputs: RequestInputs,
    private readonly headers: IncomingHttpHeaders,
  ) {}

  answer(body: string | undefined, raw: unknown): Promise<FastTRPCAnswer> {
    this.inputs.body = body;
    return this.handler.run(this.info, this.kind, this.headers, raw);
  }
}

/** A subscription the fast lane takes: `open` calls its procedure, then its SSE frames follow. */
export class PreparedStream {
  constructor(
    private readonly handler: FastTRPCHandler,
    private readonly info: TRPCRequestInfo,
    private readonly headers: IncomingHttpHeaders,
  ) {}

  /** The frames to send, `connected` first; `signal` aborts when the client goes away. */
  open(raw: unknown, signal: AbortSignal): Promise<AsyncGenerator<string | Handover>> {
    return this.handler.subscribe(this.info, this.headers, raw, signal);
  }

  /** Runs of tracked entries as HTTP/1.1 chunks of their frames: one function for every stream (a run is formatted once). */
  get formatChunk(): (entries: readonly Entry[]) => Buffer {
    return this.handler.formatChunk;
  }
}

class FastTRPCHandler implements SubscriptionContext {
  readonly config: SubscriptionContext["config"];
  readonly serialize: (value: unknown) => unknown;
  readonly json: (data: unknown) => string;
  readonly formatChunk: (entries: readonly Entry[]) => Buffer;
  readonly onError: FastTRPCOptions<AnyRouter>["onError"];

  constructor(private readonly options: FastTRPCOptions<AnyRouter>) {
    this.onError = options.onError;
    this.config = options.router._def._config as SubscriptionContext["config"];
    const output = this.config.transformer.output;
    this.serialize = (value) => output.serialize(value);
    this.json = createResultJson(this.config.transformer.output);
    this.formatChunk = chunkFormatter(this.json);
  }

  /** The request's context, or the error creating it threw. */
  private async context(headers: IncomingHttpHeaders): Promise<{ ctx: unknown; error?: TRPCError }> {
    try {
      const ctx = this.options.createContext(headers);
      return { ctx: isPromise(ctx) ? await ctx : ctx };
    } catch (cause) {
      return { ctx: undefined, error: getTRPCErrorFromUnknown(cause) };
    }
  }

  /**
   * Decides from the request line and headers alone: null when the official adapter must answer,
   * else the call to answer once the (POST) body is in.
   */
  prepare(request: FastTRPCRequest): PreparedCall | PreparedStream | null {
    if (declinesTRPC(request.method, request.headers)) return null;
    const searchParams = new URLSearchParams(request.query);
    if (searchParams.has("connectionParams")) return null;
    const lastEventIdHeader = request.headers["last-event-id"] as string | undefined;
    const parsed = parseFastRequest(this.options.router, {
      kind: request.method === "GET" ? "query" : "mutation",
      searchParams,
      path: request.path,
      lastEventIdHeader,
    });
    if (!parsed) return null;
    if (parsed.kind !== "subscription") return new PreparedCall(this, parsed.kind, parsed.info, parsed.inputs, request.headers);
    // Only tRPC's default SSE settings (no pings, durations or client options) are served here.
    return this.config.sse && Object.keys(this.config.sse).length > 0 ? null : new PreparedStream(this, parsed.info, request.headers);
  }

  async subscribe(
    info: TRPCRequestInfo,
    headers: IncomingHttpHeaders,
    raw: unknown,
    signal: AbortSignal,
  ): Promise<AsyncGenerator<string | Handover>> {
    const call = info.calls[0]!;
    const { ctx, error } = await this.context(headers);
    let outcome: { data?: unknown; error?: TRPCError } = { error };
    if (!error) {
      try {
        outcome = {
          data: await invokeProcedure(call.procedure!, {
            path: call.path,
            getRawInput: call.getRawInput,
            ctx,
            type: "subscription",
            signal,
            batchIndex: 0,
          }),
        };
      } catch (cause) {
        outcome = { error: getTRPCErrorFromUnknown(cause) };
      }
    }
    // As tRPC's adapter: a failed call is reported here, and again as it is sent (formatError).
    if (outcome.error)
      this.options.onError?.({ error: outcome.error, path: call.path, input: call.result(), ctx, type: "subscription", req: raw });
    return subscriptionFrames(this, call, outcome, ctx, signal, raw);
  }

  async run(info: TRPCRequestInfo, kind: Kind, headers: IncomingHttpHeaders, raw: unknown): Promise<FastTRPCAnswer> {
    const { ctx, error: ctxError } = await this.context(headers);
    const calls = info.calls;
    const outcomes =
      calls.length === 1
        ? [await this.call(raw, kind, calls[0]!, ctx, ctxError)]
        : await Promise.all(calls.map((item) => this.call(raw, kind, item, ctx, ctxError)));

    if (!info.isBatchCall) {
      const { error, data } = outcomes[0]!;
      if (!error && isDataStream(data)) {
        // resolveResponse answers this from its outer catch: one error, without path or input.
        const streamError = new TRPCError({ code: "UNSUPPORTED_MEDIA_TYPE", message: STREAM_LIKE });
        this.options.onError?.({ error: streamError, path: undefined, input: undefined, ctx, type: kind, req: raw });
        return this.errorAnswer(streamError, undefined, ctx, kind);
      }
      return error ? this.errorAnswer(error, calls[0], ctx, kind) : { json: this.resultJson(data), status: 200 };
    }
    let status = 0;
    const items = outcomes.map(({ error, data }, index) => {
      if (!error && isDataStream(data)) error = new TRPCError({ code: "UNSUPPORTED_MEDIA_TYPE", message: STREAM_LIKE });
      const item = error ? this.errorAnswer(error, calls[index], ctx, kind) : { json: this.resultJson(data), status: 200 };
      // getHTTPStatusCode for a batch: the one status all items share, else 207.
      status = status === 0 || status === item.status ? item.status : 207;
      return item.json;
    });
    return { json: `[${items.join(",")}]`, status };
  }

  private async call(raw: unknown, kind: Kind, item: Call, ctx: unknown, ctxError: TRPCError | undefined): Promise<Outcome> {
    try {
      if (ctxError) throw ctxError;
      const options = { path: item.path, getRawInput: item.getRawInput, ctx, type: kind, signal: undefined, batchIndex: item.batchIndex };
      return { data: await invokeProcedure(item.procedure!, options) };
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      this.options.onError?.({ error, path: item.path, input: item.result(), ctx, type: kind, req: raw });
      return { error };
    }
  }

  private resultJson(data: unknown): string {
    return `{"result":{"data":${this.json(data)}}}`;
  }

  private errorAnswer(error: TRPCError, item: Call | undefined, ctx: unknown, kind: Kind): FastTRPCAnswer {
    const shape = getErrorShape({ config: this.config, ctx, error, input: item?.result(), path: item?.path, type: kind }) as TRPCErrorShape;
    return { json: `{"error":${JSON.stringify(this.serialize(shape))}}`, status: getHTTPStatusCode({ error: shape }) };
  }
}

/** `prepare(request)`: null when the official adapter must answer, else the call to answer. */
export function createFastTRPC<TRouter extends AnyRouter>(options: FastTRPCOptions<TRouter>) {
  const handler = new FastTRPCHandler(options);
  return (request: FastTRPCRequest) => handler.prepare(request);
}

export type FastTRPC = ReturnType<typeof createFastTRPC>;
