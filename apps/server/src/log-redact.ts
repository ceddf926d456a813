import type { FastifyRequest } from "fastify";

/**
 * Account links (email verification, password reset) carry one-time tokens in their path or query:
 * a logged request URL under /api/auth never shows them.
 */
export function urlForLog(url: string): string {
  if (!url.toLowerCase().startsWith("/api/auth")) return url;
  const query = url.indexOf("?");
  const path = query < 0 ? url : url.slice(0, query);
  return path.replace(/(\/reset-password\/)[^/]+/i, "$1[redacted]") + (query < 0 ? "" : "?[redacted]");
}

/** Fastify's default request serializer, with `urlForLog`. */
export function requestForLog(request: FastifyRequest) {
  return {
    method: request.method,
    url: urlForLog(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
