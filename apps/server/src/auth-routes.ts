import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { setTimeout as delay } from "node:timers/promises";
import { CLIENT_IP_HEADER, fromNodeHeaders, MAIL_REQUEST_PATHS, PASSWORD_PATHS, type Auth } from "@onair/auth";

const BASE = "/api/auth";
const LIMITED = new Set<string>(PASSWORD_PATHS);
const MAIL_REQUESTS = new Set<string>(MAIL_REQUEST_PATHS);
/**
 * A request for account mail (reset, verification) answers no sooner than this after it came in, whether
 * the address has an account or not (Better Auth's own floor for verification requests): its timing
 * tells nothing. The mail itself goes out in the background (packages/auth account-mail.ts).
 */
export const MAIL_REQUEST_ANSWER_MS = 500;

/**
 * The path as Better Auth's router resolves it: dot segments (`./`, `../`, `%2e`) resolved, runs of
 * slashes collapsed, trailing slashes dropped. `origin` keeps a leading `//` a path, never a host.
 */
export function resolvedAuthUrl(rawUrl: string, origin: string): URL {
  const url = new URL(`${origin}${rawUrl}`);
  url.pathname = url.pathname.replace(/\/{2,}/g, "/").replace(/(.)\/+$/, "$1");
  return url;
}

/** Whether this request checks a password: every spelling of the path (also decoded, any case) counts. */
export const isPasswordCheck = (url: URL, origin: string) => reachesAny(url, origin, LIMITED);

/** Whether this request reaches one of `paths` (under /api/auth), however it is spelled. */
function reachesAny(url: URL, origin: string, paths: Set<string>): boolean {
  let decoded = url.pathname;
  try {
    decoded = resolvedAuthUrl(decodeURIComponent(url.pathname), origin).pathname;
  } catch {
    // not decodable: Better Auth cannot route it either; judge the raw path
  }
  for (const path of [url.pathname, decoded]) {
    const lower = path.toLowerCase();
    if (lower.startsWith(`${BASE}/`) && paths.has(lower.slice(BASE.length))) return true;
  }
  return false;
}

/**
 * Better Auth under /api/auth/*, outside the tRPC plugin's scope. Password checks (sign-in, sign-up,
 * change-password) are rate-limited per client IP on the normalised path, so no spelling walks around
 * the limit; Better Auth gets the normalised URL and the client IP (CLIENT_IP_HEADER) for its backstop.
 */
export async function registerAuthRoutes(app: FastifyInstance, opts: { auth: Auth; publicUrl: string; perMinute: number }) {
  const origin = new URL(opts.publicUrl).origin;
  const limit = app.rateLimit({ max: opts.perMinute, timeWindow: "1 minute", keyGenerator: (request) => `password-check|${request.ip}` });

  async function handler(request: FastifyRequest, reply: FastifyReply) {
    const url = resolvedAuthUrl(request.url, origin);
    const answerAt = reachesAny(url, origin, MAIL_REQUESTS) ? performance.now() + MAIL_REQUEST_ANSWER_MS : 0;
    const hasBody = request.method !== "GET" && request.method !== "HEAD" && request.body !== undefined;
    const headers = fromNodeHeaders(request.headers);
    headers.set(CLIENT_IP_HEADER, request.ip);
    const response = await opts.auth.handler(
      new Request(url, { method: request.method, headers, body: hasBody ? JSON.stringify(request.body) : undefined }),
    );
    reply.status(response.status);
    for (const [name, value] of response.headers) {
      if (name !== "set-cookie") reply.header(name, value);
    }
    const body = response.body ? Buffer.from(await response.arrayBuffer()) : null;
    const early = answerAt - performance.now();
    if (early > 0) await delay(early);
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) reply.header("set-cookie", cookies);
    return reply.send(body);
  }

  app.route({
    method: ["GET", "POST"],
    url: `${BASE}/*`,
    // Before the body is read: a refused attempt costs nothing.
    onRequest: (request, reply) =>
      isPasswordCheck(resolvedAuthUrl(request.url, origin), origin) ? limit.call(app, request, reply) : Promise.resolve(),
    handler,
  });
}
