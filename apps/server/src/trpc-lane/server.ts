import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { FastifyServerFactory } from "fastify";

/**
 * Fastify's own HTTP/1.1 server and settings (plus a bound on open connections), with the lane in front of its handler: `lane()` (set once
 * the app is assembled; undefined while the lane is off) answers what it takes, Fastify the rest.
 */
export function laneServerFactory(
  lane: () => { handle(request: IncomingMessage, response: ServerResponse): boolean } | undefined,
  { maxConnections }: { maxConnections: number },
): FastifyServerFactory {
  return (handler, options): Server => {
    const { keepAliveTimeout, requestTimeout, connectionTimeout } = options as Record<string, number>;
    // An unfinished request (headers or body) is cut after requestTimeout (408), whichever path serves
    // it; node checks at connectionsCheckingInterval, so that is a fraction of it.
    const server = createServer(
      { requestTimeout, headersTimeout: requestTimeout, connectionsCheckingInterval: Math.max(50, Math.min(5000, requestTimeout! / 10)) },
      (request, response) => {
        if (!lane()?.handle(request, response)) handler(request, response);
      },
    );
    server.keepAliveTimeout = keepAliveTimeout!;
    server.setTimeout(connectionTimeout);
    server.maxConnections = maxConnections;
    return server;
  };
}
