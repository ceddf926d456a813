import { existsSync } from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { TRPCError } from "@trpc/server";
import superjson from "superjson";
import { inlineJson, negotiate, Page, WebBuild } from "./web-html";

export const defaultWebDist = fileURLToPath(new URL("../../web/dist", import.meta.url));

const apiPrefixes = ["/trpc", "/api/"];
/** `/:username/live`, the viewer URL of the app OnAir grew from: old links land on the channel. */
const oldViewerUrl = /^\/([A-Za-z0-9_]{1,30})\/live\/?$/;

/** What a channel page's HTML carries so the page needs no request before it can play. */
export interface ChannelPreload {
  /** `stream.byUsername` */
  view: { isLive: boolean };
  /** `stream.token` for this visitor, when the channel is live and the token was granted. */
  token?: unknown;
}

export interface WebOptions {
  /** The channel behind `/:username`, as the visitor would get it from the API; null: no such channel. */
  channel?: (username: string, headers: IncomingHttpHeaders) => Promise<ChannelPreload | null>;
  /** LiveKit's URL: a live channel's page preconnects to it. */
  livekitUrl?: string;
}

/** A single path segment that can be a username (apps/web's CHANNEL_NAME), minus the app's own pages. */
const CHANNEL_PATH = /^\/([A-Za-z0-9_]{1,30})$/;
const APP_PAGES = new Set(["admin", "wallet", "dashboard"]);
/** The web app's source modules behind a channel page and its live player (keys of Vite's manifest). */
const CHANNEL_MODULE = "src/pages/channel.tsx";
const PLAYER_MODULE = "src/features/live/player.tsx";
/** The entry that joins LiveKit with the page's viewer token before the app starts. */
const JOIN_MODULE = "src/features/live/join-now.ts";
/** The <script> element apps/web/src/lib/preload.ts reads. */
export const PRELOAD_ID = "onair-channel";

/**
 * The built web app: precompressed assets (brotli, gzip) by Accept-Encoding, and every other GET
 * answered with index.html (client-side routes), compressed too. A channel page's HTML also carries
 * the channel (and a live channel's viewer token) and preloads the code that plays it.
 */
export async function registerWeb(app: FastifyInstance, webDist: string, options: WebOptions = {}) {
  const build = existsSync(path.join(webDist, "index.html")) ? new WebBuild(webDist) : null;
  if (build) {
    // In a scope of their own, so Vary is added to exactly these answers (after CORS has set its own).
    await app.register(async (files) => {
      files.addHook("onSend", async (_request, reply, payload) => {
        varyOnEncoding(reply);
        return payload;
      });
      await files.register(fastifyStatic, {
        root: webDist,
        wildcard: true,
        // Pages (including "/") are answered below, compressed, not from the file.
        index: false,
        // x.js.br / x.js.gz beside x.js (apps/web/precompress.ts), chosen by Accept-Encoding.
        preCompressed: true,
        // Our own Cache-Control below; @fastify/static would otherwise overwrite it with max-age=0.
        cacheControl: false,
        setHeaders(res, file) {
          // Vite fingerprints everything under assets/: cache it for a year; the rest revalidates.
          const immutable = file.includes(`${path.sep}assets${path.sep}`);
          res.setHeader("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
        },
      });
    });
    app.get("/", async (request, reply) => sendPage(request, reply, build.shell, "no-cache"));
  }

  async function pageFor(request: FastifyRequest, shell: WebBuild): Promise<{ page: Page; cacheControl: string }> {
    const username = CHANNEL_PATH.exec(request.url.split("?")[0] ?? "")?.[1];
    if (username && options.channel && !APP_PAGES.has(username.toLowerCase())) {
      const preload = await options.channel(username, request.headers).catch((error: unknown) => {
        request.log.warn({ err: error }, "channel page: the channel could not be read; serving the plain page");
        return null;
      });
      if (preload) return channelPage(shell, preload, options.livekitUrl);
    }
    return { page: shell.shell, cacheControl: "no-cache" };
  }

  app.setNotFoundHandler(async (request, reply) => {
    const url = request.url.split("?")[0] ?? "/";
    const isPage = request.method === "GET" && !apiPrefixes.some((prefix) => url.startsWith(prefix));
    const old = isPage ? oldViewerUrl.exec(url) : null;
    if (old) return reply.redirect(`/${old[1]!}${request.url.slice(url.length)}`, 301);
    if (isPage && build && !path.extname(url)) {
      const { page, cacheControl } = await pageFor(request, build);
      return sendPage(request, reply, page, cacheControl);
    }
    if (isPage && !build) {
      return reply
        .status(503)
        .type("text/plain")
        .send("The web app is not built yet: run `npm start` (or `npm run build`) from the repository root.");
    }
    return reply.status(404).send({ error: "Not Found", message: `No route ${request.method} ${url}` });
  });
}

function channelPage(build: WebBuild, preload: ChannelPreload, livekitUrl: string | undefined): { page: Page; cacheControl: string } {
  const live = preload.view.isLive;
  const data = `<script type="application/json" id="${PRELOAD_ID}">${inlineJson(superjson.stringify(preload))}</script>`;
  // With a viewer token, the page joins LiveKit before the app starts (join-now.ts, after the JSON it
  // reads): its code is asked for first, ahead of the app's own.
  const join = preload.token ? build.fileOf(JOIN_MODULE) : undefined;
  const joinChunks = join ? build.chunksOf([JOIN_MODULE]).filter((file) => file !== join) : [];
  const first = join
    ? [data, `<script type="module" async fetchpriority="high" crossorigin src="${join}"></script>`, ...joinChunks.map(modulePreload)]
    : [];
  const tags: string[] = [];
  if (live && livekitUrl) tags.push(`<link rel="preconnect" href="${new URL(livekitUrl.replace(/^ws/, "http")).origin}">`);
  for (const file of build.chunksOf(live ? [CHANNEL_MODULE, PLAYER_MODULE] : [CHANNEL_MODULE])) {
    if (!joinChunks.includes(file)) tags.push(modulePreload(file));
  }
  if (!join) tags.push(data);
  // A viewer token is this visitor's alone: never stored. Otherwise the page revalidates like the shell.
  return { page: new Page(build.withHead(tags, first), 5), cacheControl: preload.token === undefined ? "no-cache" : "no-store" };
}

const modulePreload = (file: string) => `<link rel="modulepreload" crossorigin href="${file}">`;

/** Adds Accept-Encoding to Vary, keeping what is there (CORS's Origin). */
function varyOnEncoding(reply: FastifyReply) {
  const vary = reply.getHeader("vary");
  const names =
    typeof vary === "string"
      ? vary
          .split(",")
          .map((name) => name.trim())
          .filter(Boolean)
      : [];
  if (!names.some((name) => name.toLowerCase() === "accept-encoding")) reply.header("vary", [...names, "Accept-Encoding"].join(", "));
}

function sendPage(request: FastifyRequest, reply: FastifyReply, page: Page, cacheControl: string) {
  reply.header("content-type", "text/html; charset=utf-8").header("cache-control", cacheControl);
  varyOnEncoding(reply);
  if (cacheControl !== "no-store") {
    reply.header("etag", page.etag);
    const known = request.headers["if-none-match"]?.split(",").map((tag) => tag.trim());
    if (known?.includes(page.etag)) return reply.code(304).send();
  }
  const encoding = negotiate(request.headers["accept-encoding"]);
  if (encoding !== "identity") reply.header("content-encoding", encoding);
  return reply.send(page.body(encoding));
}

interface ChannelApi {
  stream: { byUsername(input: { username: string }): Promise<{ isLive: boolean }>; token(input: { username: string }): Promise<unknown> };
}

/**
 * `stream.byUsername` and, for a live channel, `stream.token`, through the router as this visitor
 * (same rules, caches and answers as the API). No such channel: null. A refused token is left out:
 * the page asks for it and shows the refusal.
 */
export function channelPreloader(callerFor: (headers: IncomingHttpHeaders) => ChannelApi) {
  return async (username: string, headers: IncomingHttpHeaders): Promise<ChannelPreload | null> => {
    const api = callerFor(headers);
    const view = await api.stream.byUsername({ username }).catch((error: unknown) => {
      if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) return null;
      throw error;
    });
    if (!view?.isLive) return view && { view };
    const token = await api.stream.token({ username }).catch(() => undefined);
    return token === undefined ? { view } : { view, token };
  };
}
