import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

export const defaultWebDist = fileURLToPath(new URL("../../web/dist", import.meta.url));

const apiPrefixes = ["/trpc", "/api/"];
/** `/:username/live`, the viewer URL of the app OnAir grew from: old links land on the channel. */
const oldViewerUrl = /^\/([A-Za-z0-9_]{1,30})\/live\/?$/;

/** The built web app, with every other GET falling back to index.html (client-side routes). */
export async function registerWeb(app: FastifyInstance, webDist: string) {
  const hasBuild = existsSync(path.join(webDist, "index.html"));
  if (hasBuild) {
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: true,
      // "/" is a directory: without an index @fastify/static answers it 403 instead of the app.
      index: "index.html",
      // Our own Cache-Control below; @fastify/static would otherwise overwrite it with max-age=0.
      cacheControl: false,
      setHeaders(res, file) {
        // Vite fingerprints everything under assets/: cache it for a year; never cache index.html.
        const immutable = file.includes(`${path.sep}assets${path.sep}`);
        res.setHeader("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
      },
    });
  }

  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split("?")[0] ?? "/";
    const isPage = request.method === "GET" && !apiPrefixes.some((prefix) => url.startsWith(prefix));
    const old = isPage ? oldViewerUrl.exec(url) : null;
    if (old) return reply.redirect(`/${old[1]!}${request.url.slice(url.length)}`, 301);
    if (isPage && hasBuild && !path.extname(url)) {
      return reply.header("cache-control", "no-cache").sendFile("index.html");
    }
    if (isPage && !hasBuild) {
      return reply
        .status(503)
        .type("text/plain")
        .send("The web app is not built yet: run `npm start` (or `npm run build`) from the repository root.");
    }
    return reply.status(404).send({ error: "Not Found", message: `No route ${request.method} ${url}` });
  });
}
