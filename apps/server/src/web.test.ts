import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";
import type { LightMyRequestResponse } from "fastify";
import { TokenVerifier } from "livekit-server-sdk";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestKit, TEST_LIVEKIT, TEST_SECRET, uniqueName, type SignedUp, type TestKit } from "@onair/api/testing";
import { buildApp } from "./app";
import { loadEnv } from "./env";
import { PRELOAD_ID } from "./web";
import { inlineJson, negotiate } from "./web-html";

type App = Awaited<ReturnType<typeof buildApp>>;

const SHELL =
  '<!doctype html><html><head><title>OnAir test shell</title>\n<script type="module" crossorigin src="/assets/index-e1.js"></script>\n  </head><body><div id="root"></div></body></html>';
const SCRIPT = `console.log(${JSON.stringify("app ".repeat(200))})`;
const SVG = `<svg xmlns="http://www.w3.org/2000/svg">${"<g/>".repeat(100)}</svg>`;
/** A Vite manifest: the entry, the channel page's chunk, the player's chunk, the LiveKit chunk it imports, and the early-join entry. */
const MANIFEST = {
  "index.html": { file: "assets/index-e1.js", isEntry: true, imports: ["_react-r1.js"] },
  "_react-r1.js": { file: "assets/react-r1.js" },
  "src/pages/channel.tsx": { file: "assets/channel-c1.js", imports: ["index.html", "_react-r1.js"] },
  "src/features/live/player.tsx": { file: "assets/player-p1.js", imports: ["index.html", "_livekit-l1.js"] },
  "_livekit-l1.js": { file: "assets/livekit-l1.js", imports: ["_react-r1.js"] },
  "src/features/live/join-now.ts": { file: "assets/join-j1.js", isEntry: true, imports: ["_livekit-l1.js"] },
};
const HOSTILE_TITLE = "</script><script>alert(1)</script><!-- \u2028 & ok";

let kit: TestKit;
let web: App;
let root: string;
let live: SignedUp;
let offline: SignedUp;

beforeAll(async () => {
  kit = await createTestKit();
  root = mkdtempSync(path.join(tmpdir(), "onair-web-"));
  const dist = path.join(root, "dist");
  mkdirSync(path.join(dist, "assets"), { recursive: true });
  mkdirSync(path.join(dist, ".vite"));
  writeFileSync(path.join(dist, "index.html"), SHELL);
  writeFileSync(path.join(dist, ".vite", "manifest.json"), JSON.stringify(MANIFEST));
  // As apps/web/precompress.ts leaves them: x, x.br and x.gz.
  for (const [file, text] of [
    ["assets/index-e1.js", SCRIPT],
    ["favicon.svg", SVG],
  ] as const) {
    writeFileSync(path.join(dist, file), text);
    writeFileSync(path.join(dist, `${file}.br`), brotliCompressSync(text));
    writeFileSync(path.join(dist, `${file}.gz`), gzipSync(text));
  }
  const env = loadEnv({
    NODE_ENV: "test",
    PUBLIC_URL: "http://localhost:3000",
    BETTER_AUTH_SECRET: TEST_SECRET,
    LIVEKIT_URL: TEST_LIVEKIT.url,
    LIVEKIT_API_KEY: TEST_LIVEKIT.apiKey,
    LIVEKIT_API_SECRET: TEST_LIVEKIT.apiSecret,
    LIVEKIT_API_URL: kit.livekit.apiUrl,
    SWEEP_INTERVAL_MS: "0",
    WEB_DIST: dist,
  });
  web = await buildApp({ env, database: kit.handle });
  live = await kit.makeCreator(uniqueName("live"));
  await live.caller.stream.goLive({ title: HOSTILE_TITLE });
  offline = await kit.makeCreator(uniqueName("off"));
});
afterAll(async () => {
  await web?.close();
  await kit?.close();
  rmSync(root, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = {}) => web.inject({ method: "GET", url, headers });

/** The body as the browser reads it after undoing Content-Encoding. */
function decoded(res: LightMyRequestResponse): string {
  const raw = res.rawPayload;
  const encoding = res.headers["content-encoding"];
  if (encoding === "br") return brotliDecompressSync(raw).toString();
  if (encoding === "gzip") return gunzipSync(raw).toString();
  expect(encoding).toBeUndefined();
  return raw.toString();
}

/** The channel data a page carries, read back as apps/web/src/lib/preload.ts reads it. */
function preloadOf(
  html: string,
): { view: { username: string; title: string; isLive: boolean }; token?: { token: string; identity: string } } | null {
  const element = new RegExp(`<script type="application/json" id="${PRELOAD_ID}">([^<]*)</script>`).exec(html);
  return element ? superjson.parse(element[1]!) : null;
}

describe("Accept-Encoding", () => {
  it("prefers brotli, falls back to gzip, and sends neither when refused or not asked for", () => {
    expect(negotiate("gzip, deflate, br, zstd")).toBe("br");
    expect(negotiate("gzip")).toBe("gzip");
    expect(negotiate("br;q=0, gzip;q=0.5")).toBe("gzip");
    expect(negotiate("*")).toBe("br");
    expect(negotiate("identity")).toBe("identity");
    expect(negotiate("br;q=0, gzip;q=0")).toBe("identity");
    expect(negotiate(undefined)).toBe("identity");
  });
});

describe("static assets", () => {
  it("serves a script brotli, gzip or plain by Accept-Encoding, with Vary, immutable", async () => {
    for (const [accept, encoding] of [
      ["gzip, deflate, br, zstd", "br"],
      ["gzip", "gzip"],
      ["identity", undefined],
      ["", undefined],
    ] as const) {
      const res = await get("/assets/index-e1.js", accept ? { "accept-encoding": accept } : {});
      expect(res.statusCode, accept).toBe(200);
      expect(res.headers["content-encoding"], accept).toBe(encoding);
      expect(res.headers["content-type"], accept).toMatch(/javascript/);
      expect(res.headers.vary, accept).toMatch(/accept-encoding/i);
      expect(res.headers["cache-control"], accept).toBe("public, max-age=31536000, immutable");
      expect(decoded(res), accept).toBe(SCRIPT);
    }
  });

  it("serves an SVG outside assets/ compressed, revalidated", async () => {
    const res = await get("/favicon.svg", { "accept-encoding": "gzip, br" });
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.headers["content-type"]).toMatch(/image\/svg\+xml/);
    expect(res.headers["cache-control"]).toBe("no-cache");
    expect(decoded(res)).toBe(SVG);
  });
});

describe("pages", () => {
  it("answers / and client-side routes with the shell, compressed, revalidated, 304 when unchanged", async () => {
    for (const url of ["/", "/dashboard/settings", "/no_such_channel", "/sign-in?next=%2Fwallet"]) {
      for (const [accept, encoding] of [
        ["gzip, deflate, br", "br"],
        ["gzip", "gzip"],
        ["identity", undefined],
      ] as const) {
        const res = await get(url, { "accept-encoding": accept });
        expect(res.statusCode, url).toBe(200);
        expect(res.headers["content-encoding"], `${url} ${accept}`).toBe(encoding);
        expect(res.headers["content-type"], url).toBe("text/html; charset=utf-8");
        expect(res.headers.vary, url).toMatch(/accept-encoding/i);
        expect(res.headers["cache-control"], url).toBe("no-cache");
        expect(decoded(res), url).toBe(SHELL);
        const again = await get(url, { "accept-encoding": accept, "if-none-match": String(res.headers.etag) });
        expect(again.statusCode, url).toBe(304);
        expect(again.body, url).toBe("");
      }
    }
  });

  it("puts a live channel's view and a guest viewer token in its page, escaped, never stored", async () => {
    const res = await get(`/${live.user.username}`, { "accept-encoding": "br" });
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.headers.etag).toBeUndefined();
    const html = decoded(res);
    // The title cannot end the data element or open a script of its own.
    expect(html).not.toContain("<script>alert");
    expect(html.match(/<script/g)).toHaveLength(3);
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    const preload = preloadOf(html);
    expect(preload?.view).toMatchObject({ username: live.user.username, title: HOSTILE_TITLE, isLive: true });
    expect(preload?.token?.identity).toMatch(/^guest-/);
    const grants = await new TokenVerifier(TEST_LIVEKIT.apiKey, TEST_LIVEKIT.apiSecret).verify(preload!.token!.token);
    expect(grants.video).toMatchObject({ roomJoin: true, canSubscribe: true, canPublish: false, canPublishData: false, hidden: true });
    // The channel's and the player's code (with LiveKit) load at once, and the LiveKit server is dialled early.
    for (const file of ["channel-c1", "player-p1", "livekit-l1"])
      expect(html).toContain(`<link rel="modulepreload" crossorigin href="/assets/${file}.js">`);
    expect(html).not.toContain('href="/assets/react-r1.js"');
    expect(html).toContain('<link rel="preconnect" href="http://livekit.test:7880">');
    // The early join (and the LiveKit code it needs) is asked for ahead of the app, after the JSON it reads.
    const at = (text: string) => html.indexOf(text);
    const join = at('<script type="module" async fetchpriority="high" crossorigin src="/assets/join-j1.js"></script>');
    expect(join).toBeGreaterThan(at(`id="onair-channel"`));
    expect(join).toBeLessThan(at('href="/assets/livekit-l1.js"'));
    expect(at('href="/assets/livekit-l1.js"')).toBeLessThan(at('src="/assets/index-e1.js"'));
    expect(html.match(/livekit-l1/g)).toHaveLength(1);
  });

  it("gives a signed-in viewer their own token", async () => {
    const viewer = await kit.signUp({ username: uniqueName("fan") });
    const res = await get(`/${live.user.username}`, { authorization: `Bearer ${viewer.token}` });
    expect(preloadOf(decoded(res))?.token?.identity).toBe(`viewer-${viewer.user.id}`);
  });

  it("puts an offline channel's view in its page without a token or the player, revalidated", async () => {
    const res = await get(`/${offline.user.username}`, { "accept-encoding": "gzip" });
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(res.headers["cache-control"]).toBe("no-cache");
    const html = decoded(res);
    const preload = preloadOf(html);
    expect(preload?.view).toMatchObject({ username: offline.user.username, isLive: false });
    expect(preload?.token).toBeUndefined();
    expect(html).toContain('href="/assets/channel-c1.js"');
    expect(html).not.toContain("player-p1");
    expect(html).not.toContain("join-j1");
    expect(html).not.toContain("preconnect");
    expect((await get(`/${offline.user.username}`, { "if-none-match": String(res.headers.etag) })).statusCode).toBe(304);
  });

  it("escapes everything that could close or open markup inside inline JSON", () => {
    const json = JSON.stringify({ title: HOSTILE_TITLE });
    const inline = inlineJson(json);
    expect(inline).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(inline)).toEqual({ title: HOSTILE_TITLE });
  });
});
