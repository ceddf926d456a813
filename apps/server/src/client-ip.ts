import type { IncomingMessage } from "node:http";
import proxyAddr from "@fastify/proxy-addr";
import type { FastifyServerOptions } from "fastify";

/**
 * The client's address as Fastify's `request.ip` works it out with the same `trustProxy` setting
 * (fastify/lib/request.js getTrustProxyFn), for what answers in front of Fastify (the tRPC lane).
 */
export function clientIpOf(trustProxy: FastifyServerOptions["trustProxy"]): (request: IncomingMessage) => string {
  if (!trustProxy) return (request) => request.socket.remoteAddress ?? "";
  let trust: (address: string, hop: number) => boolean;
  if (typeof trustProxy === "function") trust = trustProxy;
  else if (trustProxy === true) trust = () => true;
  else if (typeof trustProxy === "number")
    trust = () => false; // as Fastify: a hop count alone trusts no peer
  else trust = proxyAddr.compile(typeof trustProxy === "string" ? trustProxy.split(",").map((item) => item.trim()) : trustProxy);
  return (request) => proxyAddr(request, trust);
}
