import type { AnyProcedure } from "@trpc/server";
import { getTRPCErrorFromUnknown, middlewareMarker, TRPCError } from "@trpc/server/unstable-core-do-not-import";

/**
 * Calls a procedure's middlewares (input parsers, `.use()`s, the resolver) exactly as tRPC's own
 * `procedure(opts)` does (`callRecursive` in @trpc/server 11.19.0's procedureBuilder): each middleware
 * gets the same options and `next`, contexts and inputs merge the same way, a thrown error becomes
 * the same `{ ok: false }` result. The difference is cost: tRPC merges options with a transpiled
 * `_objectSpread2` helper (property by property through `Object.defineProperty`), about a twentieth of
 * a viewer join's CPU; this writes the same keys as plain object literals (and merges contexts with
 * native spread). Only for procedures without a custom caller.
 */

type Def = AnyProcedure["_def"];
type Options = {
  ctx: unknown;
  type: "query" | "mutation" | "subscription";
  path: string;
  getRawInput: () => Promise<unknown>;
  input?: unknown;
  signal: AbortSignal | undefined;
  batchIndex: number;
};
type Result = { ok: true; data: unknown } | { ok: false; error: TRPCError };
type NextOptions = { ctx?: Record<string, unknown>; input?: unknown; getRawInput?: () => Promise<unknown> } | undefined;
type Middleware = (opts: Record<string, unknown>) => Promise<Result>;

async function callRecursive(index: number, def: Def, opts: Options): Promise<Result> {
  try {
    const middleware = (def as unknown as { middlewares: Middleware[] }).middlewares[index]!;
    // tRPC spreads `opts` here; these are its keys (`invokeProcedure` callers pass exactly these).
    return await middleware({
      ctx: opts.ctx,
      type: opts.type,
      path: opts.path,
      getRawInput: opts.getRawInput,
      input: opts.input,
      signal: opts.signal,
      batchIndex: opts.batchIndex,
      meta: def.meta,
      next(nextOpts: NextOptions) {
        return callRecursive(index + 1, def, {
          ctx: nextOpts?.ctx ? { ...(opts.ctx as object), ...nextOpts.ctx } : opts.ctx,
          type: opts.type,
          path: opts.path,
          getRawInput: nextOpts?.getRawInput ?? opts.getRawInput,
          input: nextOpts && "input" in nextOpts ? nextOpts.input : opts.input,
          signal: opts.signal,
          batchIndex: opts.batchIndex,
        });
      },
    });
  } catch (cause) {
    return { ok: false, error: getTRPCErrorFromUnknown(cause), marker: middlewareMarker } as Result;
  }
}

/** Whether `invokeProcedure` may call this one (tRPC's own caller does the rest). */
export function invokable(procedure: AnyProcedure): boolean {
  return !(procedure._def as { caller?: unknown }).caller;
}

/** `procedure(opts)`: the data, or throws the procedure's TRPCError. */
export async function invokeProcedure(procedure: AnyProcedure, opts: Options): Promise<unknown> {
  const result = await callRecursive(0, procedure._def, opts);
  if (!result)
    throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "No result from middlewares - did you forget to `return next()`?" });
  if (!result.ok) throw result.error;
  return result.data;
}
