import type { IncomingHttpHeaders } from "node:http";
import type { AnyRouter } from "@trpc/server";
import { getHTTPStatusCode } from "@trpc/server/http";
import {
  getErrorShape,
  TRPCError,
  type AnyRootTypes,
  type RootConfig,
  type TRPC_ERROR_CODE_KEY,
  type TRPCErrorShape,
} from "@trpc/server/unstable-core-do-not-import";

/**
 * What /trpc refuses before any procedure runs, on both paths: Fastify's tRPC routes (trpc-routes.ts)
 * answer these refusals, and the lane (trpc-lane/) declines such requests so that Fastify does.
 */

/** Calls in one batch, at most: tRPC's `maxBatchSize` (a 400 before any call runs); the lane leaves larger batches to it. */
export const MAX_BATCH = 16;
/** Methods tRPC answers (HEAD: 204; OPTIONS: CORS preflights). */
const METHODS = new Set(["GET", "POST", "HEAD", "OPTIONS"]);
/** `; name=value` parameters (RFC 9110 tokens or quoted strings). */
const PARAMETERS = /^(?:[ \t]*;[ \t]*[!#$%&'*+.^_`|~0-9A-Za-z-]+=(?:[!#$%&'*+.^_`|~0-9A-Za-z-]+|"(?:[^"\\]|\\.)*"))*[ \t]*$/;

/**
 * `application/json` in any case (media types are case-insensitive), with optional parameters
 * (`; charset=utf-8`): the only body a tRPC POST may carry.
 */
export function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const semicolon = value.indexOf(";");
  const type = (semicolon < 0 ? value : value.slice(0, semicolon)).trim().toLowerCase();
  return type === "application/json" && (semicolon < 0 || PARAMETERS.test(value.slice(semicolon)));
}

/**
 * A JSON content type (`isJsonContentType`) as tRPC's adapter recognises it: it matches the header
 * case-sensitively (`Application/JSON` was its 415), so the media type is put in lower case, parameters kept.
 */
export function canonicalJsonContentType(value: string): string {
  const semicolon = value.indexOf(";");
  return semicolon < 0 ? "application/json" : `application/json${value.slice(semicolon)}`;
}

/**
 * A request carrying cookies (and no bearer token) from a page the app does not trust: its `Origin`
 * is not one of `trusted`, or, without an `Origin`, the browser says it came from another site.
 * Bearer calls (services) need no `Origin`: a page on another site cannot add that header.
 */
export function isCrossSiteCookieCall(headers: IncomingHttpHeaders, trusted: ReadonlySet<string>): boolean {
  if (headers.cookie === undefined || /^bearer\s/i.test(headers.authorization ?? "")) return false;
  const origin = headers.origin;
  if (origin !== undefined) return !trusted.has(origin);
  const site = headers["sec-fetch-site"];
  return site === "cross-site" || site === "same-site";
}

export interface Refusal {
  code: TRPC_ERROR_CODE_KEY;
  message: string;
}

/**
 * Why /trpc refuses this request before any call runs, or null. `path` is the route's path segment
 * as Fastify decoded it once (tRPC decodes it again).
 */
export function trpcRefusal(
  method: string | undefined,
  path: string,
  headers: IncomingHttpHeaders,
  trusted: ReadonlySet<string>,
): Refusal | null {
  if (!METHODS.has(method ?? "")) return { code: "METHOD_NOT_SUPPORTED", message: `${method} is not supported: tRPC takes GET and POST` };
  try {
    decodeURIComponent(path);
  } catch {
    return { code: "BAD_REQUEST", message: "The procedure path is not valid percent-encoding" };
  }
  if (method !== "POST") return null;
  if (!isJsonContentType(headers["content-type"])) {
    return { code: "UNSUPPORTED_MEDIA_TYPE", message: "tRPC calls by POST take application/json only" };
  }
  if (isCrossSiteCookieCall(headers, trusted)) {
    return { code: "FORBIDDEN", message: "Cookie-authenticated calls must come from the app's own origin" };
  }
  return null;
}

/** A refusal as tRPC answers a request-level error: the router's error shape, through its transformer. */
export function refusalAnswer(router: AnyRouter, { code, message }: Refusal): { status: number; json: string } {
  const config = router._def._config as RootConfig<AnyRootTypes>;
  const shape = getErrorShape({
    config,
    ctx: undefined,
    error: new TRPCError({ code, message }),
    input: undefined,
    path: undefined,
    type: "unknown",
  }) as TRPCErrorShape;
  const error: unknown = config.transformer.output.serialize(shape);
  return { status: getHTTPStatusCode({ error: shape }), json: JSON.stringify({ error }) };
}
