import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { invokable, invokeProcedure } from "./invoke";

/** The fast lane's invoker against tRPC's own `procedure(opts)`: same data, same errors, same options seen. */

const t = initTRPC.context<{ user: string | null; seen: unknown[] }>().create({ transformer: superjson });
/** Every option the middleware sees (signal, getRawInput and all), `next` by its type and ctx without the recorder. */
const recorded = t.middleware((opts) => {
  const { seen, ...ctx } = opts.ctx;
  seen.push({ ...opts, ctx, next: typeof opts.next });
  return opts.next({ ctx: { stage: "recorded" } });
});
const signedIn = t.procedure.use(recorded).use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in" });
  return next({ ctx: { user: ctx.user } });
});

const router = t.router({
  merged: signedIn
    .meta({ note: "meta travels" })
    .input(z.object({ a: z.string() }))
    .input(z.object({ b: z.number().int() }))
    .use(({ input, next }) => next({ input: { ...input, extra: true } }))
    .query(({ ctx, input }) => ({ user: ctx.user, stage: ctx.stage, input })),
  failing: t.procedure.input(z.object({ n: z.number() })).mutation(({ input }) => {
    if (input.n < 0) throw new Error("plain error");
    throw new TRPCError({ code: "CONFLICT", message: "taken" });
  }),
  forgetful: t.procedure.use((() => undefined) as never).query(() => "never"),
  output: t.procedure.output(z.object({ id: z.number() })).query(() => ({ id: "nope" }) as never),
});

type Outcome = { data?: unknown; error?: { code: string; message: string; cause?: string } };
async function both(path: keyof typeof router._def.procedures, input: unknown, user: string | null = "ada") {
  const procedure = router._def.procedures[path];
  const results: { outcome: Outcome; seen: unknown[] }[] = [];
  const signal = new AbortController().signal;
  const getRawInput = async () => input;
  for (const call of [
    (opts: Parameters<typeof invokeProcedure>[1]) => procedure(opts),
    (opts: Parameters<typeof invokeProcedure>[1]) => invokeProcedure(procedure, opts),
  ]) {
    const seen: unknown[] = [];
    const opts = { ctx: { user, seen }, path, type: procedure._def.type, getRawInput, signal, batchIndex: 2 };
    let outcome: Outcome;
    try {
      outcome = { data: await call(opts) };
    } catch (error) {
      const { code, message, cause } = error as TRPCError;
      outcome = { error: { code, message, cause: cause?.message } };
    }
    // The very signal and input reader given, not merely equal ones (dropping the signal fails here).
    for (const options of seen as { signal?: unknown; getRawInput?: unknown }[]) {
      expect(options.signal).toBe(signal);
      expect(options.getRawInput).toBe(getRawInput);
    }
    results.push({ outcome, seen });
  }
  expect(results[1]).toEqual(results[0]);
  return results[0]!;
}

describe("invokeProcedure", () => {
  it("merges contexts and inputs and passes the same options as tRPC", async () => {
    const { outcome, seen } = await both("merged", { a: "x", b: 2 });
    expect(outcome.data).toEqual({ user: "ada", stage: "recorded", input: { a: "x", b: 2, extra: true } });
    expect(seen).toEqual([
      {
        ctx: { user: "ada" },
        type: "query",
        path: "merged",
        getRawInput: expect.any(Function) as unknown,
        input: undefined,
        signal: expect.any(AbortSignal) as unknown,
        batchIndex: 2,
        meta: { note: "meta travels" },
        next: "function",
      },
    ]);
  });

  it("turns thrown and validation errors into the same TRPCErrors", async () => {
    expect((await both("merged", { a: "x", b: 2 }, null)).outcome.error).toMatchObject({ code: "UNAUTHORIZED" });
    expect((await both("merged", { a: "x", b: 1.5 })).outcome.error).toMatchObject({ code: "BAD_REQUEST" });
    expect((await both("failing", { n: 1 })).outcome.error).toEqual({ code: "CONFLICT", message: "taken" });
    expect((await both("failing", { n: -1 })).outcome.error).toMatchObject({ code: "INTERNAL_SERVER_ERROR", message: "plain error" });
    expect((await both("forgetful", undefined)).outcome.error).toMatchObject({ code: "INTERNAL_SERVER_ERROR" });
    expect((await both("output", undefined)).outcome.error).toMatchObject({
      code: "INTERNAL_SERVER_ERROR",
      message: "Output validation failed",
    });
  });

  it("leaves procedures with a custom caller to tRPC", () => {
    const custom = t.procedure
      .experimental_caller(async ({ invoke, _def }) =>
        invoke({
          ...(_def as object),
          ctx: {},
          getRawInput: async () => undefined,
          path: "",
          type: "query",
          signal: undefined,
          batchIndex: 0,
        } as never),
      )
      .query(() => 1);
    expect(invokable(custom as never)).toBe(false);
    expect(invokable(router._def.procedures.merged)).toBe(true);
  });
});
