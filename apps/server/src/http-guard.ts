import type { FastifyError, FastifyInstance } from "fastify";
import { hostProblem } from "./host-header";

/** Bounds on what one client can hold open (buildApp's `limits`). */
export interface EdgeLimits {
  /** A request's headers and body must be in within this time, else its connection is cut (408). */
  requestTimeoutMs: number;
  /** Open connections, at most (node:http's `maxConnections`: more are closed at once). */
  maxConnections: number;
  /** Subscriptions (SSE) open at once per client address; more are a 429. */
  subscriptionsPerClient: number;
}

export const DEFAULT_LIMITS: EdgeLimits = { requestTimeoutMs: 30_000, maxConnections: 10_000, subscriptionsPerClient: 20 };

const SOMETHING_WENT_WRONG = "Something went wrong on our side. Please try again.";

/**
 * Rules for every Fastify route (the lane declines what they refuse, so they hold on both paths):
 * a malformed `Host` is a 400 saying what is wrong with it (host-header.ts), and a 500 says only that
 * something went wrong — the error itself (an SQL statement and its parameters, a file path…) goes to
 * the log, in full, never to the client.
 */
export function registerHttpGuards(app: FastifyInstance) {
  app.addHook("onRequest", function validHost(request, reply, done) {
    const problem = hostProblem(request.raw);
    if (problem === null) return done();
    void reply.status(400).send({ statusCode: 400, error: "Bad Request", message: problem });
  });
  app.setErrorHandler(function genericServerErrors(error: FastifyError, request, reply) {
    const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
    if (status < 500) return reply.send(error); // Fastify's own 4xx answer (bad JSON, body too large…)
    request.log.error({ err: error }, "request failed");
    return reply.status(500).send({ statusCode: 500, error: "Internal Server Error", message: SOMETHING_WENT_WRONG });
  });
}
