import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { captureJoin } from "./lib/capture";
import { summarise } from "./lib/cpu-profile";
import { runLoad } from "./lib/load";
import { openBenchDatabase, startOnAir, type DbKind } from "./lib/onair";
import { makeLiveCreator, seedViewers } from "./lib/seed";

/**
 * Profiling aid (not a scenario): the storm against one in-process server, load from a child process;
 * with `out`, the server's CPU profile during the load only (not the set-up) is written there.
 *   node --import tsx src/profile.ts [guests|signed|cold] [PGlite|PostgreSQL] [seconds] [out.cpuprofile] [connections]
 */
async function main() {
  const [who = "guests", kind = "PGlite", seconds = "5", out, connections = "100"] = process.argv.slice(2);
  const database = await openBenchDatabase(kind as DbKind);
  const server = await startOnAir(database.handle);
  const creator = await makeLiveCreator(server);
  const viewers =
    who === "signed" ? await seedViewers(server.db, 1_000) : who === "cold" ? await seedViewers(server.db, 30_000) : undefined;
  const join = await captureJoin(server.url, creator.username, viewers?.[0]);
  const spec = { url: server.url, requests: join.requests, connections: Number(connections), authorizations: viewers };
  if (who !== "cold") await runLoad({ ...spec, seconds: 1, warmupRequests: viewers ? 2 * viewers.length : 0 }); // JIT, caches, each viewer's session
  const inspector = new Session();
  if (out) {
    inspector.connect();
    await inspector.post("Profiler.enable");
    await inspector.post("Profiler.start");
  }
  const cpu = process.cpuUsage();
  const result = await runLoad({ ...spec, seconds: Number(seconds) });
  const used = process.cpuUsage(cpu);
  console.log(
    `server CPU per request: ${(used.user / result.total).toFixed(1)} µs user + ${(used.system / result.total).toFixed(1)} µs system`,
  );
  if (out) {
    const { profile } = await inspector.post("Profiler.stop");
    writeFileSync(out, JSON.stringify(profile));
    console.log(summarise(profile));
    inspector.disconnect();
  }
  console.log(who, kind, result);
  await server.close();
  await database.handle.close();
}

void main();
