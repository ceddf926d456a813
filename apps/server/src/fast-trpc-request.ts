import type { AnyProcedure, AnyRouter } from "@trpc/server";
import { isObject, TRPCError, type TRPCRequestInfo } from "@trpc/server/unstable-core-do-not-import";

/**
 * tRPC's `getRequestInfo` for the one case the fast path serves — a JSON GET query or POST mutation
 * of procedures that exist, are all of that kind and need no lazy loading — without its generic
 * content-type dispatch and promise chains. Inputs are read and deserialized lazily, once, with the
 * same errors (BAD_REQUEST carrying the parser's message; a batch input that is not an object). Returns
 * null for anything else: the official adapter answers those.
 */

type Call = TRPCRequestInfo["calls"][number];
const UNREAD = Symbol("unread");

export interface FastRequest {
  kind: "query" | "mutation";
  /** The request's query string; `input` and `batch` come from it. */
  searchParams: URLSearchParams;
  /** The POST body, as the tRPC plugin's content-type parser leaves it (a string). */
  body: unknown;
  /** The decoded path param, e.g. `stream.byUsername,stream.live`. */
  path: string;
  accept: TRPCRequestInfo["accept"];
  url: URL | null;
}

export function parseFastRequest(router: AnyRouter, request: FastRequest): TRPCRequestInfo | null {
  const { kind, searchParams } = request;
  const isBatchCall = searchParams.get("batch") === "1";
  const paths = isBatchCall ? request.path.split(",") : [request.path];
  const procedures = router._def.procedures as Record<string, AnyProcedure | undefined>;
  const found = paths.map((path) => (Object.hasOwn(procedures, path) ? procedures[path] : undefined));
  if (!found.every((procedure) => procedure?._def?.type === kind)) return null;

  const deserialize = router._def._config.transformer.input.deserialize;
  let inputs: Record<number, unknown> | typeof UNREAD = UNREAD;
  let reading: Promise<Record<number, unknown>> | null = null;

  function readInputs(): Record<number, unknown> {
    let raw: unknown;
    if (kind === "query") {
      const query = searchParams.get("input");
      if (query) raw = JSON.parse(query);
    } else {
      raw = JSON.parse(request.body as string);
    }
    const result: Record<number, unknown> = Object.create(null);
    if (raw === undefined) return result;
    if (!isBatchCall) {
      result[0] = deserialize(raw);
      return result;
    }
    if (!isObject(raw)) throw new TRPCError({ code: "BAD_REQUEST", message: '"input" needs to be an object when doing a batch call' });
    for (const index of paths.keys()) {
      const input = raw[index];
      if (input !== undefined) result[index] = deserialize(input);
    }
    return result;
  }

  /** tRPC's memo: one read for every call; a parse failure is a BAD_REQUEST with the parser's message. */
  async function read(): Promise<Record<number, unknown>> {
    if (inputs !== UNREAD) return inputs;
    reading ??= (async () => readInputs())().catch((cause: unknown) => {
      if (cause instanceof TRPCError) throw cause;
      throw new TRPCError({ code: "BAD_REQUEST", message: cause instanceof Error ? cause.message : "Invalid input", cause });
    });
    inputs = await reading;
    reading = null;
    return inputs;
  }

  const calls = paths.map(
    (path, index): Call => ({
      batchIndex: index,
      path,
      procedure: found[index]!,
      getRawInput: async () => (await read())[index],
      result: () => (inputs === UNREAD ? undefined : inputs[index]),
    }),
  );
  return {
    isBatchCall,
    accept: request.accept,
    calls,
    type: kind,
    connectionParams: null,
    signal: undefined as unknown as AbortSignal,
    url: request.url,
  };
}
