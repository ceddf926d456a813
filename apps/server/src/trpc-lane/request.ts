import type { AnyProcedure, AnyRouter } from "@trpc/server";
import { isObject, TRPCError, type AnyRootTypes, type RootConfig, type TRPCRequestInfo } from "@trpc/server/unstable-core-do-not-import";
import { MAX_BATCH } from "./trpc-guard";
import { invokable } from "./invoke";

/**
 * tRPC's `getRequestInfo` for the one case the fast lane serves — a JSON GET query or POST mutation
 * of procedures that exist, are all of that kind, need no lazy loading and have no custom caller —
 * without its generic content-type dispatch and promise chains. Inputs are read and deserialized
 * lazily, once, with the same errors (BAD_REQUEST carrying the parser's message; a batch input that is
 * not an object). Returns null for anything else: the official adapter answers those.
 *
 * Per-request state lives in a class, not in closures: no closures to allocate per request, and
 * under tsx (which runs `npm run dev`, the benchmarks and their profiles) none of the `__name`
 * (`defineProperty`) calls it adds to every closure it compiles, a measurable cost on this path.
 * The compiled server (esbuild without `keepNames`, `npm start`) adds none either way.
 */

type Call = TRPCRequestInfo["calls"][number];
type Deserialize = (value: unknown) => unknown;

export interface FastRequest {
  /** "query" for any GET: a single, unbatched subscription path makes it a subscription. */
  kind: "query" | "mutation";
  /** The request's query string; `input` and `batch` come from it. */
  searchParams: URLSearchParams;
  /** The decoded path param, e.g. `stream.byUsername,stream.live`. */
  path: string;
  /** The `last-event-id` request header (an EventSource reconnecting). */
  lastEventIdHeader?: string | undefined;
}

export type Kind = "query" | "mutation" | "subscription";

/** The calls' inputs: parsed on first use, from the query string or from `body` (set once it is read). */
export class RequestInputs {
  /** A POST's JSON body. */
  body: string | undefined;
  private values: Record<number, unknown> | undefined;
  private failure: TRPCError | undefined;

  constructor(
    private readonly request: FastRequest,
    private readonly isBatchCall: boolean,
    private readonly count: number,
    private readonly deserialize: Deserialize,
    /** A subscription's: where a reconnecting client left off (merged into its input, as tRPC does). */
    private readonly lastEventId: string | null = null,
  ) {}

  /** `getRawInput` of call `index` (async: a parse error becomes the rejection, as in tRPC). */
  async raw(index: number): Promise<unknown> {
    let input = this.read()[index];
    if (this.lastEventId) {
      if (isObject(input)) input = { ...input, lastEventId: this.lastEventId };
      else input ??= { lastEventId: this.lastEventId };
    }
    return input;
  }

  /** `result()` of call `index`: its input if read. */
  result(index: number): unknown {
    return this.values?.[index];
  }

  /** tRPC's memo: one read for every call; a parse failure is a BAD_REQUEST with the parser's message. */
  private read(): Record<number, unknown> {
    if (this.values) return this.values;
    if (this.failure) throw this.failure;
    try {
      this.values = this.parse();
    } catch (cause) {
      this.failure =
        cause instanceof TRPCError
          ? cause
          : new TRPCError({ code: "BAD_REQUEST", message: cause instanceof Error ? cause.message : "Invalid input", cause });
      throw this.failure;
    }
    return this.values;
  }

  private parse(): Record<number, unknown> {
    let raw: unknown;
    if (this.request.kind === "query") {
      const query = this.request.searchParams.get("input");
      if (query) raw = JSON.parse(query);
    } else {
      const body = this.body as string;
      // Fetch's Request.json(), which the adapter uses, drops a UTF-8 byte order mark.
      raw = JSON.parse(body.charCodeAt(0) === 0xfeff ? body.slice(1) : body) as unknown;
    }
    const result = Object.create(null) as Record<number, unknown>;
    if (raw === undefined) return result;
    if (!this.isBatchCall) {
      result[0] = this.deserialize(raw);
      return result;
    }
    if (!isObject(raw)) throw new TRPCError({ code: "BAD_REQUEST", message: '"input" needs to be an object when doing a batch call' });
    for (let index = 0; index < this.count; index++) {
      const input = raw[index];
      if (input !== undefined) result[index] = this.deserialize(input);
    }
    return result;
  }
}

export function parseFastRequest(
  router: AnyRouter,
  request: FastRequest,
): { info: TRPCRequestInfo; inputs: RequestInputs; kind: Kind } | null {
  const { searchParams } = request;
  const isBatchCall = searchParams.get("batch") === "1";
  const paths = isBatchCall ? request.path.split(",") : [request.path];
  if (paths.length > MAX_BATCH) return null; // the adapter's 400

  const procedures = router._def.procedures as Record<string, AnyProcedure | undefined>;
  const first = Object.hasOwn(procedures, paths[0]!) ? procedures[paths[0]!] : undefined;
  // A subscription is one unbatched GET; anything else with one is the official adapter's to refuse.
  const kind: Kind = request.kind === "query" && !isBatchCall && first?._def?.type === "subscription" ? "subscription" : request.kind;
  const found: AnyProcedure[] = [];
  for (const path of paths) {
    const procedure = Object.hasOwn(procedures, path) ? procedures[path] : undefined;
    if (procedure?._def?.type !== kind || !invokable(procedure)) return null;
    found.push(procedure);
  }

  const lastEventId =
    kind === "subscription" ? (request.lastEventIdHeader ?? searchParams.get("lastEventId") ?? searchParams.get("Last-Event-Id")) : null;
  const inputs = new RequestInputs(
    request,
    isBatchCall,
    paths.length,
    (value: unknown): unknown => (router._def._config as RootConfig<AnyRootTypes>).transformer.input.deserialize(value),
    lastEventId,
  );
  const calls = paths.map((path, index): Call => ({
    batchIndex: index,
    path,
    procedure: found[index]!,
    getRawInput: inputs.raw.bind(inputs, index),
    result: inputs.result.bind(inputs, index),
  }));
  const info: TRPCRequestInfo = {
    isBatchCall,
    accept: null,
    calls,
    type: kind,
    connectionParams: null,
    signal: undefined as unknown as AbortSignal,
    url: null,
  };
  return { info, inputs, kind };
}
