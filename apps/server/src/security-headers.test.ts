import fastifyHelmet, { type FastifyHelmetOptions } from "@fastify/helmet";
import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { appSecurityHeaders, registerSecurityHeaders } from "./security-headers";

/** The app's own helmet options (app.ts), in development and in production. */
const appOptions = (production: boolean, livekitUrl: string): FastifyHelmetOptions => appSecurityHeaders({ production, livekitUrl });

async function build(options: FastifyHelmetOptions, ours: boolean) {
  const app = Fastify({ logger: false });
  if (ours) await registerSecurityHeaders(app, options);
  else await app.register(fastifyHelmet, options);
  app.get("/json", async () => ({ ok: true }));
  app.post("/json", async () => ({ ok: true }));
  app.get("/framed", async (_request, reply) => reply.header("x-frame-options", "DENY").send("framed"));
  app.get("/boom", async () => {
    throw new Error("boom");
  });
  return app;
}

const requests = [
  { method: "GET", url: "/json" },
  { method: "POST", url: "/json", payload: {} },
  { method: "GET", url: "/framed" },
  { method: "GET", url: "/missing" },
  { method: "GET", url: "/boom" },
  { method: "OPTIONS", url: "/json" },
] as const;

describe("registerSecurityHeaders", () => {
  const variants: [string, FastifyHelmetOptions][] = [
    ["development", appOptions(false, "ws://localhost:7880")],
    ["production", appOptions(true, "wss://livekit.example")],
    ["helmet's defaults", {}],
  ];

  it.each(variants)("sends exactly @fastify/helmet's headers (%s)", async (_label, options) => {
    const plugin = await build(options, false);
    const ours = await build(options, true);
    for (const request of requests) {
      const [a, b] = [await plugin.inject(request), await ours.inject(request)];
      const strip = (headers: Record<string, unknown>) => ({ ...headers, date: undefined });
      expect([b.statusCode, strip(b.headers), b.body], `${request.method} ${request.url}`).toEqual([
        a.statusCode,
        strip(a.headers),
        a.body,
      ]);
    }
    expect((await ours.inject({ method: "GET", url: "/json" })).headers["content-security-policy"]).toBeTruthy();
    await plugin.close();
    await ours.close();
  });

  it("leaves per-request options (functions, nonces) to the plugin itself", async () => {
    let calls = 0;
    const options: FastifyHelmetOptions = {
      contentSecurityPolicy: { directives: { defaultSrc: ["'self'", () => `'nonce-${++calls}'`] } },
    };
    const app = await build(options, true);
    const first = (await app.inject({ method: "GET", url: "/json" })).headers["content-security-policy"];
    const second = (await app.inject({ method: "GET", url: "/json" })).headers["content-security-policy"];
    expect(first).not.toBe(second);
    await app.close();
  });
});
