import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The server's fast lane (apps/server/src/trpc-lane/) copies parts of @trpc/server and reads its
 * internals, audited against one version. Any other version — an upgrade, or a second copy installed
 * somewhere in the repo — fails here, naming the upstream files to re-read against the lane's copies
 * before the audited version below is changed (and the root package.json's `overrides` with it).
 */
const AUDITED = "11.19.0";

/** Upstream file (in @trpc/server's `src/`) → what the lane copies from it, and where. */
const COPIED: Record<string, string> = {
  "unstable-core-do-not-import/http/resolveResponse.ts": "the non-streaming half of resolveResponse (trpc-lane/trpc.ts)",
  "unstable-core-do-not-import/http/contentType.ts": "getRequestInfo's JSON content-type parsing and batch inputs (trpc-lane/request.ts)",
  "unstable-core-do-not-import/stream/sse.ts": "the SSE producer: frames, tracked ids, connected/return/error events (trpc-lane/sse.ts)",
  "unstable-core-do-not-import/procedureBuilder.ts": "callRecursive, the procedure's middleware chain (trpc-lane/invoke.ts)",
  "unstable-core-do-not-import/error/getErrorShape.ts": "the error shape the lane builds its answers with (trpc-lane/trpc.ts)",
  "adapters/fastify/fastifyRequestHandler.ts": "the Fastify adapter's headers and status the lane mirrors (trpc-lane/lane.ts)",
};

const repoRoot = path.resolve(import.meta.dirname, "../../../..");
const require = createRequire(import.meta.url);

/** `installed`: what was found, e.g. "@trpc/server 11.20.0". */
function reReadMessage(installed: string, found: string): string {
  const files = Object.entries(COPIED).map(([file, what]) => `  - @trpc/server/src/${file}: ${what}`);
  return [
    `${installed} is installed; the fast lane was audited against ${AUDITED}.`,
    `Before changing AUDITED (apps/server/src/trpc-lane/trpc-version.test.ts) and the root package.json's overrides,`,
    `diff these upstream files between ${AUDITED} and ${found} and port the changes to the lane's copies:`,
    ...files,
  ].join("\n");
}

describe("the one @trpc/* version", () => {
  it(`resolves @trpc/server ${AUDITED}, the version the lane's copies were audited against`, () => {
    const manifest = JSON.parse(readFileSync(require.resolve("@trpc/server/package.json"), "utf8")) as { version: string };
    expect(manifest.version, reReadMessage(`@trpc/server ${manifest.version}`, manifest.version)).toBe(AUDITED);
  });

  it("installs no other @trpc/* version anywhere in the repo (package-lock.json)", () => {
    const lock = JSON.parse(readFileSync(path.join(repoRoot, "package-lock.json"), "utf8")) as {
      packages: Record<string, { version?: string }>;
    };
    const installed = Object.entries(lock.packages).filter(([where]) => /(^|\/)node_modules\/@trpc\/[^/]+$/.test(where));
    expect(installed.map(([where]) => where)).toContain("node_modules/@trpc/server");
    for (const [where, { version }] of installed) expect(version, reReadMessage(`${where} ${version}`, String(version))).toBe(AUDITED);
  });

  it("pins every @trpc/* package the repo uses to that version in the root overrides", () => {
    const root = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { overrides?: Record<string, string> };
    for (const name of ["@trpc/server", "@trpc/client", "@trpc/react-query"]) expect(root.overrides?.[name], name).toBe(AUDITED);
  });

  it("still ships the upstream files the message names (so the list stays true)", () => {
    const packageDir = path.dirname(require.resolve("@trpc/server/package.json"));
    for (const file of Object.keys(COPIED)) expect(existsSync(path.join(packageDir, "src", file)), file).toBe(true);
  });
});
