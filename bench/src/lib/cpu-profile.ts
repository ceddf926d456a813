import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { join } from "node:path";
import { profileDir } from "./config";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
}

/**
 * Runs `work` and, with `BENCH_PROFILE` set, records this process's CPU profile meanwhile (the
 * in-process server's, not the load generator's): written as `<dir>/<name>.cpuprofile` (open it in
 * Chrome DevTools) and summarised on the console by where the time went.
 */
export async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (!profileDir) return work();
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  try {
    return await work();
  } finally {
    const { profile } = await session.post("Profiler.stop");
    session.disconnect();
    const file = join(profileDir, `${name.replace(/[^\w.-]+/g, "_")}.cpuprofile`);
    mkdirSync(profileDir, { recursive: true });
    writeFileSync(file, JSON.stringify(profile));
    console.log(`  CPU profile: ${file}\n${summarise(profile)}`);
  }
}

/** Where a frame's code lives: a package, our own code, or V8's own entries ((garbage collector), (idle)…). */
function origin(frame: ProfileNode["callFrame"]): string {
  if (!frame.url) return frame.functionName || "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url);
  if (pkg) return pkg[1]!;
  if (frame.url.startsWith("node:")) return frame.url;
  const ours = /\/(apps|packages|bench)\/([^/]+)\//.exec(frame.url);
  return ours ? `@onair/${ours[2]}` : frame.url;
}

/** Self time by origin and the top functions, as shares of every sample. */
export function summarise(profile: Profile, top = 15): string {
  const hits = new Map<number, number>();
  for (const id of profile.samples ?? []) hits.set(id, (hits.get(id) ?? 0) + 1);
  const total = [...hits.values()].reduce((a, b) => a + b, 0) || 1;
  const byOrigin = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const count = hits.get(node.id) ?? 0;
    if (!count) continue;
    const frame = node.callFrame;
    byOrigin.set(origin(frame), (byOrigin.get(origin(frame)) ?? 0) + count);
    const where = `${frame.functionName || "(anonymous)"} ${origin(frame)}:${frame.lineNumber + 1}`;
    byFunction.set(where, (byFunction.get(where) ?? 0) + count);
  }
  const share = (count: number) => `${((100 * count) / total).toFixed(1)}%`.padStart(6);
  const lines = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([key, count]) => `    ${share(count)}  ${key}`);
  return ["  self time by origin:", ...lines(byOrigin), "  top functions (self):", ...lines(byFunction)].join("\n");
}
