// Compiles the server for `npm start`: src/main.ts → dist/main.js (and `npm run admin`: dist/admin-cli.js), plain JavaScript for plain `node`.
// The workspace packages (@onair/api, db, auth) export TypeScript sources, so they are bundled in;
// every npm package stays external and loads from node_modules as usual (PGlite finds its wasm and
// data files beside its own module). The migrations are copied beside the bundle: @onair/db looks
// for ./drizzle next to the running module before ../drizzle (its place in the sources).
import { cpSync, rmSync } from "node:fs";
import { isBuiltin } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL(".", import.meta.url));
const srcDir = fileURLToPath(new URL("src", import.meta.url));
const outdir = fileURLToPath(new URL("dist", import.meta.url));
const migrations = fileURLToPath(new URL("../../packages/db/drizzle", import.meta.url));

/**
 * Bare imports other than our workspace packages (npm packages, node builtins) stay imports. npm may
 * install a package beside the workspace that uses it rather than at the root (better-auth is in
 * packages/auth/node_modules): such an import becomes a relative path to the very file that workspace
 * would load, as node would not find it from dist/.
 */
const npmPackagesExternal = {
  name: "npm-packages-external",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith("@onair/") || args.pluginData === "inner") return undefined;
      if (isBuiltin(args.path) || args.importer.startsWith(srcDir)) return { external: true };
      const resolve = (resolveDir) => build.resolve(args.path, { kind: args.kind, resolveDir, pluginData: "inner" });
      const [fromImporter, fromServer] = await Promise.all([resolve(args.resolveDir), resolve(srcDir)]);
      if (fromImporter.errors.length > 0) return { errors: fromImporter.errors };
      if (fromImporter.path === fromServer.path) return { external: true };
      const relative = path.relative(outdir, fromImporter.path).split(path.sep).join("/");
      return { path: relative.startsWith(".") ? relative : `./${relative}`, external: true };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ["src/main.ts", "src/admin-cli.ts"],
  outdir,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: "linked",
  plugins: [npmPackagesExternal],
  logLevel: "warning",
});
cpSync(migrations, `${outdir}/drizzle`, { recursive: true });
