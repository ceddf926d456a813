import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants } from "node:zlib";
import { chromiumPath } from "@onair/e2e/browser";
import { report, times } from "../lib/report";
import { wire } from "./wire";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const dist = path.join(root, "apps/web/dist");

/** Each route and the lazy chunks (by their module's file name) it loads on first render. */
const ROUTES: { route: string; lazy: string[] }[] = [
  { route: "/ (home)", lazy: [] },
  { route: "/:username, offline", lazy: ["channel"] },
  { route: "/:username, live (player)", lazy: ["channel", "player"] },
  { route: "/admin", lazy: ["admin"] },
  { route: "/wallet", lazy: ["wallet"] },
  { route: "/dashboard", lazy: ["layout", "stream-settings"] },
  { route: "/dashboard/stream (go live)", lazy: ["layout", "go-live"] },
  { route: "/dashboard/earnings", lazy: ["layout", "earnings"] },
];

/** Strings only livekit-client's protocol code contains. */
const LIVEKIT = /["`']livekit\.(SignalRequest|JoinResponse)["`']/;

const baseName = (file: string) => file.replace(/-[\w-]{8}\.js$/, "");

/** brotli JS per route from the Vite build: the entry's static closure plus the route's lazy chunks. */
export async function bundle() {
  if (!existsSync(path.join(dist, "index.html"))) {
    console.log("  apps/web/dist is missing: building the web app…");
    execFileSync("npm", ["run", "build", "-w", "@onair/web"], { cwd: root, stdio: "inherit" });
  }
  const assets = path.join(dist, "assets");
  const files = readdirSync(assets).filter((file) => file.endsWith(".js"));
  const code = new Map(files.map((file) => [file, readFileSync(path.join(assets, file), "utf8")]));
  // What the server sends: the build's .br beside each file (apps/web/precompress.ts), else brotli now.
  const onWire = (file: string) => {
    const br = path.join(assets, `${file}.br`);
    if (existsSync(br)) return readFileSync(br).length;
    return brotliCompressSync(code.get(file)!, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  };
  const size = new Map(files.map((file) => [file, onWire(file)]));
  const refs = (file: string, pattern: RegExp) =>
    [...(code.get(file) ?? "").matchAll(pattern)].map((m) => m[1]!).filter((f) => code.has(f));
  const staticImports = (file: string) => refs(file, /(?:from|import)\s*"\.\/([^"]+\.js)"/g);
  const dynamicImports = (file: string) => refs(file, /import\(\s*[`"']\.\/([^`"']+\.js)[`"']\s*\)/g);

  function closure(starts: string[]): Set<string> {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      staticImports(file).forEach(visit);
    };
    starts.forEach(visit);
    return seen;
  }

  const html = readFileSync(path.join(dist, "index.html"), "utf8");
  const initial = [...html.matchAll(/(?:src|href)="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!);
  const entry = closure(initial);
  const lazy = new Set([...code.keys()].flatMap(dynamicImports));
  const sum = (set: Set<string>) => [...set].reduce((total, file) => total + size.get(file)!, 0);
  const hasLiveKit = (set: Set<string>) => [...set].some((file) => LIVEKIT.test(code.get(file)!));
  const kb = (bytes: number) => (bytes / 1024).toFixed(1);

  const home = sum(entry);
  const assigned = new Set<string>();
  for (const { route, lazy: names } of ROUTES) {
    const chunks = [...lazy].filter((file) => names.includes(baseName(file)));
    if (names.length > 0 && chunks.length === 0) continue; // the app has no such route (yet)
    chunks.forEach((file) => assigned.add(file));
    const set = closure([...entry, ...chunks]);
    const livekit = hasLiveKit(set);
    if (route.startsWith("/ (home)") && livekit) throw new Error("the home page loads LiveKit");
    report({
      scenario: "bundle",
      case: route,
      rps: null,
      p50: null,
      p99: null,
      ratio: route.startsWith("/ (home)") ? "baseline" : times(sum(set), home, "home"),
      note: `${kb(sum(set))} KB brotli JS, ${set.size} files${livekit ? ", loads LiveKit" : ", no LiveKit"}`,
    });
  }
  for (const file of [...lazy].filter((f) => !assigned.has(f))) {
    const extra = [...closure([file])].filter((f) => !entry.has(f));
    const extraSize = extra.reduce((total, f) => total + size.get(f)!, 0);
    report({
      scenario: "bundle",
      case: `lazy ${baseName(file)} (other)`,
      rps: null,
      p50: null,
      p99: null,
      ratio: "",
      note: `+${kb(extraSize)} KB brotli on top of the entry${hasLiveKit(new Set(extra)) ? ", LiveKit" : ""}`,
    });
  }
  if (existsSync(chromiumPath)) await wire();
  else console.log(`  on the wire: skipped, no Chromium at ${chromiumPath}`);
}
