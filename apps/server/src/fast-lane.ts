import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastifyBaseLogger } from "fastify";
import type { FastTRPC } from "./fast-trpc";

type Answerer = NonNullable<ReturnType<FastTRPC>>;

/**
 * The viewer-join storm's lane: plain tRPC calls (`/trpc/<paths>`, see fast-trpc.ts) answered straight
 * from node:http, in front of Fastify — no routing, hooks, reply object or body parser, one write per
 * answer. It sends the headers Fastify would have sent for that route: the security headers
 * (security-headers.ts), CORS as @fastify/cors sets it for the app's origins, and the tRPC answer's own.
 * Whatever it declines — other paths and methods, preflights, streaming, odd or large bodies —
 * goes to Fastify untouched.
 */

export interface FastLaneOptions {
  /** e.g. "/trpc/" */
  prefix: string;
  trpc: FastTRPC;
  /** The security headers every response carries, as [name, value] pairs. */
  securityHeaders: [string, string][];
  /** Origins allowed to call with credentials (CORS). */
  origins: string[];
  log: FastifyBaseLogger;
}

/** Bigger bodies go through Fastify (its body limit and errors); a viewer's call is under 1 KB. */
const MAX_BODY = 64 * 1024;
/** Fastify's `maxParamLength` in app.ts: longer paths are Fastify's 404. */
const MAX_PATH = 5000;

/** Levels at which Fastify logs each request; the lane logs its requests at the same ones. */
const LOGS_REQUESTS = new Set(["info", "debug", "trace"]);
const INTERNAL = '{"error":{"message":"Something went wrong on our side. Please try again.","code":-32603}}';

/**
 * `handle` answers a request and says true, or says false and leaves it alone; `close` stops taking
 * requests and resolves once those under way are answered (their database work done).
 */
export function createFastLane({ prefix, trpc, securityHeaders, origins, log }: FastLaneOptions) {
  const allowed = new Set(origins);
  const fixed = securityHeaders.flat();
  let inFlight = 0;
  let closing = false;
  let drained: (() => void) | undefined;
  const settled = () => {
    if (--inFlight === 0) drained?.();
  };

  /** The headers of every answer, content-length last (filled in per answer). */
  const common = [
    ...fixed,
    "access-control-allow-credentials", "true",
    "access-control-expose-headers", "set-auth-token",
    "vary", "trpc-accept, accept",
    "content-type", "application/json",
    "content-length", "",
  ];

  function headersFor(request: IncomingMessage, length: number): string[] {
    const headers = common.slice();
    headers[headers.length - 1] = String(length);
    // @fastify/cors with a list of origins and credentials.
    const origin = request.headers.origin;
    if (origin !== undefined && allowed.has(origin)) headers.push("access-control-allow-origin", origin);
    return headers;
  }

  function send(request: IncomingMessage, response: ServerResponse, status: number, json: string, started: number) {
    response.writeHead(status, headersFor(request, Buffer.byteLength(json)));
    response.end(json); // a string: Node writes it with the head in one go
    if (LOGS_REQUESTS.has(log.level)) {
      const responseTime = performance.now() - started;
      log.info({ req: { method: request.method, url: request.url }, res: { statusCode: status }, responseTime }, "request completed");
    }
  }

  function serve(request: IncomingMessage, response: ServerResponse, answer: Answerer, body: string | undefined, started: number) {
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

  /** Reads a POST body (its length is known and small), then serves. */
  function readThenServe(request: IncomingMessage, response: ServerResponse, answer: Answerer, started: number) {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8");
      serve(request, response, answer, body, started);
    });
    request.on("close", () => {
      if (!request.complete) settled(); // the client went away before its body was in
    });
  }

  function handle(request: IncomingMessage, response: ServerResponse): boolean {
    const { method, url, headers } = request;
    if (closing || (method !== "GET" && method !== "POST") || !url?.startsWith(prefix)) return false;
    const mark = url.indexOf("?");
    const rawPath = mark < 0 ? url.slice(prefix.length) : url.slice(prefix.length, mark);
    if (rawPath.length === 0 || rawPath.length > MAX_PATH || rawPath.includes("/")) return false;
    if (method === "POST") {
      const length = Number(headers["content-length"]);
      if (!(length > 0 && length <= MAX_BODY) || headers["transfer-encoding"] !== undefined) return false;
    }
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      return false;
    }
    const answer = trpc({ method, path, query: mark < 0 ? "" : url.slice(mark + 1), headers });
    if (!answer) return false;
    const started = performance.now();
    inFlight++;
    if (method === "POST") readThenServe(request, response, answer, started);
    else serve(request, response, answer, undefined, started);
    return true;
  }

  function close(): Promise<void> {
    closing = true;
    return inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => (drained = resolve));
  }

  return { handle, close };
}

export type FastLane = ReturnType<typeof createFastLane>;
