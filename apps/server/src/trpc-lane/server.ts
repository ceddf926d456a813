import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { FastifyServerFactory } from "fastify";

/**
 * Fastify's own HTTP/1.1 server and settings, with the lane in front of its handler: `lane()` (set once
 * the app is assembled; undefined while the lane is off) answers what it takes, Fastify the rest.
 */
export function laneServerFactory(lane: () => { handle(request: IncomingMessage, response: ServerResponse): boolean } | undefined): FastifyServerFactory {
  return (handler, options): Server => {
    const server = createServer((request, response) => {
      if (!lane()?.handle(request, response)) handler(request, response);
    });
    const { keepAliveTimeout, requestTimeout, connectionTimeout } = options as Record<string, number>;
    server.keepAliveTimeout = keepAliveTimeout!;
    server.requestTimeout = requestTimeout!;
    server.setTimeout(connectionTimeout);
    return server;
  };
}
