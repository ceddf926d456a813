import {
  callTRPCProcedure,
  getErrorShape,
  getTRPCErrorFromUnknown,
  isTrackedEnvelope,
  tracked,
  TRPCError,
  type AnyTRPCRouter,
  type TrackedEnvelope,
} from "@trpc/server";

/** At most this many subscriptions ride on one multiplexed stream. */
export const MAX_MULTIPLEXED = 20;

/** One subscription asked for: the client's own `key` for it, the procedure's path and its input. */
export interface MultiplexedSubscription {
  key: string;
  path: string;
  input?: unknown;
}

/**
 * What the stream carries, each tagged with the subscription's `key`: a value (`id` when the
 * procedure tracks its events), its error (the shape tRPC would have sent for it alone) or its end.
 */
export type MultiplexedEvent =
  | { key: string; kind: "data"; id?: string; data: unknown }
  | { key: string; kind: "error"; error: unknown }
  | { key: string; kind: "done" };

type Step = { key: string; result: IteratorResult<unknown> } | { key: string; error: unknown };

/**
 * Runs each subscription as its own procedure would run alone (same middlewares, same rules, same
 * context) and streams their events as one. Every event is tracked by the cursors of all of them
 * (`{ key: last id }`, JSON): a client reconnecting with it as `lastEventId` resumes each tracked
 * subscription where it left off. One subscription's error or end leaves the others running.
 * Values are pulled one at a time per subscription, so a slow reader holds each one's own bound.
 *
 * Every subscription is started (and its first value asked for) before this resolves, so each is
 * listening by the time the client hears the stream has started: a client that reads a snapshot on
 * `started` misses nothing between the two, and a handover from an older stream loses nothing.
 */
export async function multiplex(options: {
  router: AnyTRPCRouter;
  ctx: unknown;
  subscriptions: MultiplexedSubscription[];
  lastEventId?: string | null | undefined;
  signal: AbortSignal | undefined;
}): Promise<AsyncGenerator<TrackedEnvelope<MultiplexedEvent>>> {
  const { router, ctx, subscriptions, signal } = options;
  const cursors = parseCursors(options.lastEventId);
  const iterators = new Map<string, AsyncIterator<unknown>>();
  const ready: Step[] = [];
  let wake: (() => void) | null = null;
  let streaming = false;
  const push = (step: Step) => {
    ready.push(step);
    wake?.();
  };
  const pull = (key: string, iterator: AsyncIterator<unknown>) =>
    iterator.next().then(
      (result) => push({ key, result }),
      (error: unknown) => push({ key, error }),
    );
  const closeAll = () => {
    for (const iterator of iterators.values()) void iterator.return?.().catch(() => {});
    iterators.clear();
  };
  // Aborted before the stream was read (the client went at once): nothing else would close them.
  const onAbort = () => (streaming ? wake?.() : closeAll());
  signal?.addEventListener("abort", onAbort);
  const errorOf = (sub: MultiplexedSubscription, cause: unknown): unknown =>
    getErrorShape({
      config: router._def._config,
      error: getTRPCErrorFromUnknown(cause),
      type: "subscription",
      path: sub.path,
      input: sub.input,
      ctx,
    });
  const track = (event: MultiplexedEvent) => tracked(JSON.stringify(cursors), event);

  const refused: MultiplexedEvent[] = [];
  for (const sub of subscriptions) {
    try {
      if (!isSubscription(router, sub.path)) throw new TRPCError({ code: "NOT_FOUND", message: `No subscription "${sub.path}"` });
      const iterable = (await callTRPCProcedure({
        router,
        path: sub.path,
        getRawInput: async () => withCursor(sub.input, cursors[sub.key]),
        ctx,
        type: "subscription",
        signal,
        batchIndex: 0,
      })) as AsyncIterable<unknown>;
      const iterator = iterable[Symbol.asyncIterator]();
      iterators.set(sub.key, iterator);
      void pull(sub.key, iterator);
    } catch (cause) {
      refused.push({ key: sub.key, kind: "error", error: errorOf(sub, cause) });
    }
  }
  if (signal?.aborted) closeAll();

  return (async function* () {
    streaming = true;
    try {
      for (const event of refused) yield track(event);
      while (iterators.size > 0 && !signal?.aborted) {
        if (ready.length === 0) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          continue;
        }
        const step = ready.shift()!;
        const iterator = iterators.get(step.key);
        if (!iterator) continue;
        if ("error" in step || step.result.done) {
          iterators.delete(step.key);
          const sub = subscriptions.find((s) => s.key === step.key)!;
          yield track(
            "error" in step ? { key: step.key, kind: "error", error: errorOf(sub, step.error) } : { key: step.key, kind: "done" },
          );
          continue;
        }
        const value = step.result.value;
        if (isTrackedEnvelope(value)) {
          const [id, data] = value;
          cursors[step.key] = String(id);
          yield track({ key: step.key, kind: "data", id: String(id), data });
        } else {
          yield track({ key: step.key, kind: "data", data: value });
        }
        void pull(step.key, iterator);
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
      closeAll();
    }
  })();
}

/** The subscription procedures a multiplexed stream may carry: every one but the multiplexer itself. */
function isSubscription(router: AnyTRPCRouter, path: string): boolean {
  const procedures = router._def.procedures as Record<string, { _def: { type: string } } | undefined>;
  const procedure = Object.hasOwn(procedures, path) ? procedures[path] : undefined;
  return procedure?._def.type === "subscription" && !path.startsWith("mux.");
}

/** The subscription's input with its own cursor as `lastEventId`, as tRPC's client sends it when resuming. */
function withCursor(input: unknown, cursor: string | undefined): unknown {
  if (!cursor) return input;
  return { ...(input !== null && typeof input === "object" ? input : {}), lastEventId: cursor };
}

function parseCursors(lastEventId: string | null | undefined): Record<string, string> {
  if (!lastEventId) return {};
  try {
    const parsed: unknown = JSON.parse(lastEventId);
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  } catch {
    return {};
  }
}
