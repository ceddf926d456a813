import fastifyHelmet, { type FastifyHelmetOptions } from "@fastify/helmet";
import Fastify, { type FastifyInstance } from "fastify";

/**
 * @fastify/helmet, minus its per-request cost. The plugin builds helmet's middlewares anew — and
 * re-parses the Content-Security-Policy — on every request: about 20 µs, a third of what a cheap API
 * call costs here. When the options are plain values (no per-request directive functions, no CSP
 * nonces, not per-route), every response gets the very same headers. This asks @fastify/helmet itself
 * which ones, once, on a throwaway instance, and sets exactly those in an onRequest hook, as the plugin
 * does (on the raw response, so anything set later still wins), and returns them for the fast lane.
 * Any other options: the plugin itself, and null.
 */
export async function registerSecurityHeaders(app: FastifyInstance, options: FastifyHelmetOptions): Promise<[string, string][] | null> {
  const headers = isStatic(options) ? await helmetHeaders(options) : null;
  if (!headers) {
    await app.register(fastifyHelmet, options);
    return null;
  }
  app.addHook("onRequest", function securityHeaders(_request, reply, done) {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
  return headers;
}

/** Options without functions, nonces or per-route switches. */
function isStatic(value: unknown): boolean {
  if (typeof value === "function") return false;
  if (Array.isArray(value)) return value.every(isStatic);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record.enableCSPNonces || record.global === false) return false;
    return Object.values(record).every(isStatic);
  }
  return true;
}

/** The headers @fastify/helmet adds to a response with these options, in the order it sets them. */
async function helmetHeaders(options: FastifyHelmetOptions): Promise<[string, string][] | null> {
  const answer = async (helmet: boolean) => {
    const probe = Fastify({ logger: false });
    if (helmet) await probe.register(fastifyHelmet, options);
    probe.get("/", (_request, reply) => reply.send("ok"));
    try {
      return (await probe.inject({ method: "GET", url: "/" })).headers;
    } finally {
      await probe.close();
    }
  };
  const [plain, secured] = [await answer(false), await answer(true)];
  const added: [string, string][] = [];
  for (const [name, value] of Object.entries(secured)) {
    if (name === "date" || plain[name] === value) continue;
    if (typeof value !== "string") return null;
    added.push([name, value]);
  }
  const removed = Object.keys(plain).filter((name) => name !== "date" && !(name in secured));
  return removed.length > 0 ? null : added;
}

/** OnAir's policy: only our own scripts; media and connections to ourselves and the LiveKit server. */
export function appSecurityHeaders({ production, livekitUrl }: { production: boolean; livekitUrl: string }): FastifyHelmetOptions {
  const livekit = livekitUrl.replace(/\/$/, "");
  return {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:", "blob:", "https:", "http:"],
        mediaSrc: ["'self'", "blob:"],
        connectSrc: ["'self'", livekit, livekit.replace(/^ws/, "http")],
        upgradeInsecureRequests: production ? [] : null,
      },
    },
    strictTransportSecurity: production,
  };
}
