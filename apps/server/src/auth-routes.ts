import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { fromNodeHeaders, type Auth } from "@onair/auth";

/**
 * Better Auth under /api/auth/*, outside the tRPC plugin's scope. Sign-in and sign-up are
 * rate-limited per IP.
 */
export async function registerAuthRoutes(app: FastifyInstance, opts: { auth: Auth; publicUrl: string; perMinute: number }) {
  async function handler(request: FastifyRequest, reply: FastifyReply) {
    const url = new URL(request.url, opts.publicUrl);
    const hasBody = request.method !== "GET" && request.method !== "HEAD" && request.body !== undefined;
    const response = await opts.auth.handler(
      new Request(url, {
        method: request.method,
        headers: fromNodeHeaders(request.headers),
        body: hasBody ? JSON.stringify(request.body) : undefined,
      }),
    );
    reply.status(response.status);
    for (const [name, value] of response.headers) {
      if (name !== "set-cookie") reply.header(name, value);
    }
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) reply.header("set-cookie", cookies);
    return reply.send(response.body ? Buffer.from(await response.arrayBuffer()) : null);
  }

  const limited = { rateLimit: { max: opts.perMinute, timeWindow: "1 minute" } };
  for (const path of ["/api/auth/sign-in/email", "/api/auth/sign-up/email", "/api/auth/sign-in/username"]) {
    app.post(path, { config: limited }, handler);
  }
  app.route({ method: ["GET", "POST"], url: "/api/auth/*", handler });
}
