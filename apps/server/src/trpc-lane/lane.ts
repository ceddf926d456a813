import type { IncomingMessage, ServerResponse } from "node:http";
import type { DirectSink } from "@onair/api";
import type { FastifyBaseLogger } from "fastify";
import type { SubscriptionLimit } from "./subscription-limit";
import { hostProblem } from "../host-header";
import { trpcRefusal } from "./trpc-guard";
import { closedWithin, STREAM_END_GRACE_MS } from "./closed-within";
import { CONNECTED_FRAME } from "./sse";
import { PreparedStream, type FastTRPC, type PreparedCall } from "./trpc";

/**
 * The fast lane, built for the viewer-join storm: plain tRPC calls (`/trpc/<paths>`, see trpc.ts) answered straight
 * from node:http, in front of Fastify — no routing, hooks, reply object or body parser, one write per
 * answer — and subscriptions streamed as Server-Sent Events (sse.ts); a chat or status stream that hands
 * over is written straight to the socket, one chunk per run of events for all (direct.ts in @onair/api). It
 * sends the headers Fastify would have sent for that route: the security headers (../security-headers.ts),
 * CORS as @fastify/cors sets it for the app's origins, and the tRPC answer's own. Whatever it declines —
 * other paths and methods, preflights, JSONL streaming, odd or large bodies, HTTP/1.0 — goes to Fastify untouched.
 * Fastify's hooks never see what the lane answers: a global hook added to the app must be mirrored here.
 */

export interface HttpLaneOptions {
  /** e.g. "/trpc/" */
  prefix: string;
  trpc: FastTRPC;
  /** The security headers every response carries, as [name, value] pairs. */
  securityHeaders: [string, string][];
  /** Origins allowed to call with credentials (CORS). */
  origins: string[];
  log: FastifyBaseLogger;
  /** Shared with Fastify's /trpc routes: subscriptions open per client address (over it, Fastify answers 429). */
  subscriptions: SubscriptionLimit;
  /** The client's address, as Fastify's `request.ip` (client-ip.ts). */
  clientIp: (request: IncomingMessage) => string;
}

/**
 * A subscriber fed directly (direct.ts) whose response holds this much unsent goes back to its stream,
 * which catches up from the tables once the client has read (the others are never held up by it).
 */
export const DIRECT_BACKLOG_BYTES = 256 * 1024;

/** Bigger bodies go through Fastify (its body limit and errors); a viewer's call is under 1 KB. */
const MAX_BODY = 64 * 1024;
/** Fastify's `maxParamLength` in app.ts: longer paths are Fastify's 404. */
const MAX_PATH = 5000;

/** Levels at which Fastify logs each request; the lane logs its requests at the same ones. */
const LOGS_REQUESTS = new Set(["info", "debug", "trace"]);
const INTERNAL = '{"error":{"message":"Something went wrong on our side. Please try again.","code":-32603}}';

function drainedOrGone(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off("drain", done).off("close", done);
      resolve();
    };
    response.on("drain", done).on("close", done);
  });
}

/**
 * `handle` answers a request and says true, or says false and leaves it alone; `close` stops taking
 * requests, cuts the subscriptions being streamed (their clients reconnect) and the bodies still
 * coming, and resolves once the calls under way (bodies complete) are answered (their database work done).
 */
export function createHttpLane({ prefix, trpc, securityHeaders, origins, log, subscriptions, clientIp }: HttpLaneOptions) {
  /** Origins trusted for CORS and for cookie-authenticated calls. */
  const allowed = new Set(origins);
  const fixed = securityHeaders.flat();
  let inFlight = 0;
  let closing = false;
  let drained: (() => void) | undefined;
  const settled = () => {
    if (--inFlight === 0) drained?.();
  };

  /** With the security headers: CORS as @fastify/cors sets it (credentials), then tRPC's own. */
  const common = [
    ...fixed,
    "access-control-allow-credentials",
    "true",
    "access-control-expose-headers",
    "set-auth-token",
    "vary",
    "trpc-accept, accept, Origin",
  ];
  /** A JSON answer's, content-length last (filled in per answer). */
  const json = [...common, "content-type", "application/json", "content-length", ""];
  /** A subscription's: tRPC's SSE headers. */
  const sse = [
    ...common,
    "content-type",
    "text/event-stream",
    "cache-control",
    "no-cache, no-transform",
    "x-accel-buffering",
    "no",
    "connection",
    "keep-alive",
  ];
  /** Subscriptions being streamed: on close, given a moment to end with `return`, then destroyed. */
  const streams = new Set<ServerResponse>();

  function headersFor(request: IncomingMessage, length: number | null): string[] {
    const headers = length === null ? sse.slice() : json.slice();
    if (length !== null) headers[headers.length - 1] = String(length);
    const origin = request.headers.origin;
    if (origin !== undefined && allowed.has(origin)) headers.push("access-control-allow-origin", origin);
    return headers;
  }

  function logCompleted(request: IncomingMessage, statusCode: number, started: number) {
    if (!LOGS_REQUESTS.has(log.level)) return;
    const responseTime = performance.now() - started;
    // `lane` says which path answered (Fastify's own lines have no such field): operators and tests read it.
    log.info({ lane: "trpc", req: { method: request.method, url: request.url }, res: { statusCode }, responseTime }, "request completed");
  }

  function send(request: IncomingMessage, response: ServerResponse, status: number, body: string, started: number) {
    response.writeHead(status, headersFor(request, Buffer.byteLength(body)));
    response.end(body); // a string: Node writes it with the head in one go
    logCompleted(request, status, started);
  }

  /**
   * A subscription: its frames as they come, waiting while the client's buffer is full. Frames ready
   * in the same turn of the event loop (a burst) leave in one socket write (cork until the next turn).
   */
  async function stream(request: IncomingMessage, response: ServerResponse, prepared: PreparedStream, started: number) {
    const gone = new AbortController();
    response.once("close", () => gone.abort());
    streams.add(response);
    try {
      const frames = await prepared.open(request, gone.signal);
      if (response.destroyed) return void (await frames.return(undefined));
      response.writeHead(200, headersFor(request, null));
      response.write(CONNECTED_FRAME);
      let corked = false;
      const uncork = () => {
        corked = false;
        response.uncork();
      };
      const socket = response.socket;
      // Fed directly: each run is one HTTP chunk framed once for every subscriber, written to the socket in one go.
      const direct: DirectSink | undefined =
        response.chunkedEncoding && socket
          ? {
              format: prepared.formatChunk,
              write: (chunk) => {
                if (response.writableLength > DIRECT_BACKLOG_BYTES) return false;
                if (!socket.destroyed) socket.write(chunk);
                return true;
              },
            }
          : undefined;
      for await (const frame of frames) {
        if (response.destroyed) break;
        if (typeof frame !== "string") {
          if (direct) frame.attach(direct); // all before it is written: the stream's events may now be written straight here
          continue;
        }
        if (!corked) {
          corked = true;
          response.cork();
          setImmediate(uncork);
        }
        if (!response.write(frame)) await drainedOrGone(response);
      }
      response.end();
      logCompleted(request, 200, started);
    } catch (error) {
      log.error({ err: error, url: request.url }, "fast lane failed");
      if (!response.headersSent) send(request, response, 500, INTERNAL, started);
      else response.destroy();
    } finally {
      streams.delete(response);
    }
  }

  function serve(request: IncomingMessage, response: ServerResponse, answer: PreparedCall, body: string | undefined, started: number) {
    answer
      .answer(body, request)
      .then(
        ({ status, json }) => {
          if (!response.destroyed) send(request, response, status, json, started);
        },
        (error: unknown) => {
          log.error({ err: error, url: request.url }, "fast lane failed");
          if (!response.headersSent) send(request, response, 500, INTERNAL, started);
        },
      )
      .finally(settled);
  }

  /** POSTs whose bodies are still coming: not in flight yet (nothing runs until a body is complete); cut on close. */
  const reading = new Set<ServerResponse>();

  /** Reads a POST body (its length is known and small), then serves: from then on the call is in flight. */
  function readThenServe(request: IncomingMessage, response: ServerResponse, answer: PreparedCall, started: number) {
    const chunks: Buffer[] = [];
    reading.add(response);
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      reading.delete(response);
      const body = chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8");
      inFlight++;
      serve(request, response, answer, body, started);
    });
    request.on("close", () => reading.delete(response));
  }

  function handle(request: IncomingMessage, response: ServerResponse): boolean {
    const { method, headers } = request;
    let url = request.url;
    if (closing || (method !== "GET" && method !== "POST") || !url?.startsWith(prefix)) return false;
    // HTTP/1.0 (no chunking; keep-alive only on request) goes to Fastify: the adapter's answers have no
    // length, so it closes the connection after each, where the lane's sized ones would keep it open.
    if (request.httpVersion !== "1.1") return false;
    // A fragment is no part of the request (the adapter's URL parser drops it too).
    const hash = url.indexOf("#");
    if (hash >= 0) url = url.slice(0, hash);
    const mark = url.indexOf("?");
    const rawPath = mark < 0 ? url.slice(prefix.length) : url.slice(prefix.length, mark);
    if (rawPath.length === 0 || rawPath.length > MAX_PATH || rawPath.includes("/")) return false;
    if (method === "POST") {
      const length = Number(headers["content-length"]);
      if (!(length > 0 && length <= MAX_BODY) || headers["transfer-encoding"] !== undefined) return false;
    }
    // Whatever /trpc refuses (trpc-guard.ts) is Fastify's to answer, as is a malformed Host (host-header.ts).
    if (hostProblem(request) !== null || trpcRefusal(method, rawPath, headers, allowed)) return false;
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      return false;
    }
    const answer = trpc({ method, path, query: mark < 0 ? "" : url.slice(mark + 1), headers });
    if (!answer) return false;
    const started = performance.now();
    if (answer instanceof PreparedStream) {
      const end = subscriptions.open(clientIp(request));
      if (!end) return false; // Fastify answers the 429
      response.once("close", end);
      void stream(request, response, answer, started);
      return true;
    }
    if (method === "POST") {
      readThenServe(request, response, answer, started);
    } else {
      inFlight++;
      serve(request, response, answer, undefined, started);
    }
    return true;
  }

  async function close(): Promise<void> {
    closing = true;
    // Subscriptions were completed (endSubscriptions): their streams end with tRPC's `return` frame.
    await closedWithin([...streams], STREAM_END_GRACE_MS);
    for (const response of streams) response.destroy();
    for (const response of reading) response.destroy(); // a body that may never come must not hold the stop
    return inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => (drained = resolve));
  }

  return { handle, close };
}

export type HttpLane = ReturnType<typeof createHttpLane>;
