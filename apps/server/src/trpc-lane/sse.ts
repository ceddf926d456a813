import { isObservable, observableToAsyncIterable } from "@trpc/server/observable";
import {
  getErrorShape,
  getTRPCErrorFromUnknown,
  isAbortError,
  isAsyncIterable,
  isTrackedEnvelope,
  TRPCError,
  type TRPCErrorShape,
  type TRPCRequestInfo,
} from "@trpc/server/unstable-core-do-not-import";
import { Handover, isLiveStream, WITH_HANDOVERS, type Entry } from "@onair/api";

/**
 * A tRPC subscription over Server-Sent Events, frame for frame as `@trpc/server`'s `sseStreamProducer`
 * writes it with the router's default SSE settings: `connected`, then one frame per value (`data:` and,
 * for `tracked()` values, `id:`), then `return` when the procedure ends, or `serialized-error`. Each frame
 * is one string, written at once (the official adapter pushes every line through web streams and a
 * TextEncoderStream: most of the CPU of a chat fan-out). A value that is frozen — a chat event or a
 * channel view shared by every subscriber — is serialized once, not once per subscriber. A live stream
 * that can be fed directly (`@onair/api`'s LiveStream) yields its `Handover`s between its frames.
 */

type Call = TRPCRequestInfo["calls"][number];
type Config = Parameters<typeof getErrorShape>[0]["config"];

export interface SubscriptionContext {
  config: Config;
  serialize: (value: unknown) => unknown;
  /** A value's JSON, remembered for frozen values (json.ts). */
  json: (data: unknown) => string;
  onError?:
    | ((opts: { error: TRPCError; path: string | undefined; input: unknown; ctx: unknown; type: "subscription"; req: unknown }) => void)
    | undefined;
}

/** A tracked value's frame: `data:` and its `id:`. */
export function trackedFrame(json: string, id: string | number): string {
  return `data: ${json}\nid: ${id}\n\n\n`;
}

/** A value's frame without an id. */
function untrackedFrame(json: string): string {
  return `data: ${json}\n\n\n`;
}

const CRLF = Buffer.from("\r\n");

/**
 * Formats a run of entries (direct.ts) as one chunk of an HTTP/1.1 chunked response holding their
 * frames: the length in hex, CRLF, the frames, CRLF.
 */
export function chunkFormatter(json: (data: unknown) => string): (entries: readonly Entry[]) => Buffer {
  return (entries) => {
    const frames = entries.map((entry) =>
      entry.position === undefined ? untrackedFrame(json(entry.value)) : trackedFrame(json(entry.value), entry.position),
    );
    const body = Buffer.from(frames.join(""));
    return Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, CRLF]);
  };
}

/** The `connected` frame with the default client options (none). */
export const CONNECTED_FRAME = "event: connected\ndata: {}\n\n\n";
const RETURN_FRAME = "event: return\ndata: \n\n\n";

function errorFrame(context: SubscriptionContext, cause: unknown, call: Call, ctx: unknown, req: unknown): string {
  const error = getTRPCErrorFromUnknown(cause);
  const input = call.result();
  context.onError?.({ error, path: call.path, input, ctx, type: "subscription", req });
  const shape = getErrorShape({ config: context.config, ctx, error, input, path: call.path, type: "subscription" }) as TRPCErrorShape;
  return `event: serialized-error\ndata: ${JSON.stringify(context.serialize(shape))}\n\n\n`;
}

/**
 * The frames after `connected` for the subscription `call`, whose procedure was called (`data`) or
 * failed (`error`, already reported to onError as tRPC's adapter does). Ends quietly on abort.
 */
export async function* subscriptionFrames(
  context: SubscriptionContext,
  call: Call,
  outcome: { data?: unknown; error?: TRPCError },
  ctx: unknown,
  signal: AbortSignal,
  req: unknown,
): AsyncGenerator<string | Handover> {
  let cause: unknown = outcome.error;
  let iterable: AsyncIterable<unknown> | undefined;
  if (!cause) {
    const data = outcome.data;
    if (isLiveStream(data)) iterable = { [Symbol.asyncIterator]: () => data[WITH_HANDOVERS]() };
    else if (isObservable(data)) iterable = observableToAsyncIterable(data, signal);
    else if (isAsyncIterable(data)) iterable = data;
    else
      cause = new TRPCError({
        code: "INTERNAL_SERVER_ERROR",
        message: `Subscription ${call.path} did not return an observable or a AsyncGenerator`,
      });
  }
  if (!iterable) {
    yield errorFrame(context, cause, call, ctx, req);
    return;
  }
  try {
    for await (const value of iterable) {
      if (value instanceof Handover) yield value;
      else yield isTrackedEnvelope(value) ? trackedFrame(context.json(value[1]), value[0]) : untrackedFrame(context.json(value));
    }
  } catch (error) {
    if (isAbortError(error)) return;
    yield errorFrame(context, error, call, ctx, req);
    return;
  }
  yield RETURN_FRAME;
}
