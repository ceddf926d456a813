import { cpus, loadavg } from "node:os";
import { eq } from "drizzle-orm";
import superjson from "superjson";
import { directRuns, STREAM_CHANNEL, type DirectRunStats } from "@onair/api";
import { notify, openRedisBus, stream, user, type Bus } from "@onair/db";
import { startThrowawayRedis, throwawayRedisUnavailable } from "@onair/db/testing";
import { startChild, type Child } from "../lib/child";
import { profiled } from "../lib/cpu-profile";
import { fanoutSettings, postgresUrl } from "../lib/config";
import { openBenchDatabase, startOnAir, type OnAirServer } from "../lib/onair";
import { report } from "../lib/report";
import { makeCreators, seedViewers } from "../lib/seed";

/** Settings (environment): how many subscribers, messages per second, for how long, in how many load processes. */
const { subscribers: SUBSCRIBERS, rate: RATE, seconds: SECONDS, loaders: LOADERS } = fanoutSettings;
/** The viewer count changes this often in the status case. */
const STATUS_EVERY_MS = 2000;

type Report = { subscribers: number; inOrder: number; deliveries: number; histogram: number[] };

function percentileOf(histogram: number[], p: number): number | null {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  let seen = 0;
  for (let ms = 0; ms < histogram.length; ms++) if ((seen += histogram[ms]!) >= (total * p) / 100) return ms;
  return histogram.length - 1;
}

async function loaders(targets: string[], kind: "chat" | "status"): Promise<Child[]> {
  const children = Array.from({ length: LOADERS }, () => startChild("fanout-load.ts"));
  const per = Math.ceil(SUBSCRIBERS / LOADERS);
  const replies = await Promise.all(
    children.map((child, i) =>
      child.request<{ connected?: number; error?: string }>(
        { subscribe: { targets, count: Math.min(per, SUBSCRIBERS - i * per), kind } },
        300_000,
      ),
    ),
  );
  const failed = replies.find((reply) => !reply.connected);
  if (failed) throw new Error(`subscribers could not connect: ${failed.error}`);
  return children;
}

/** CPU seconds the load processes have used so far, together. */
async function loadCpu(children: Child[]): Promise<number> {
  const replies = await Promise.all(children.map((child) => child.request<{ seconds: number }>({ cpu: true }, 30_000)));
  return replies.reduce((sum, reply) => sum + reply.seconds, 0);
}

async function collect(children: Child[], acks: number[], count: number) {
  const reports = await Promise.all(children.map((child) => child.request<Report>({ report: { acks, count } }, 120_000)));
  const histogram = reports[0]!.histogram.map((_, ms) => reports.reduce((sum, r) => sum + r.histogram[ms]!, 0));
  return {
    subscribers: reports.reduce((sum, r) => sum + r.subscribers, 0),
    inOrder: reports.reduce((sum, r) => sum + r.inOrder, 0),
    deliveries: reports.reduce((sum, r) => sum + r.deliveries, 0),
    p50: percentileOf(histogram, 50),
    p99: percentileOf(histogram, 99),
  };
}

/**
 * The server's own share of the latency, from direct delivery's runs during `work`: first event heard →
 * written to every reader (p50/p99), and the write loop alone.
 */
async function serverSide<T>(work: () => Promise<T>): Promise<{ result: T; server: string }> {
  const heardToWritten: number[] = [];
  const writing: number[] = [];
  const listener = (message: unknown) => {
    const { waitedMs, writeMs } = message as DirectRunStats;
    heardToWritten.push(waitedMs + writeMs);
    writing.push(writeMs);
  };
  directRuns.subscribe(listener);
  try {
    const result = await work();
    const at = (values: number[], p: number) =>
      [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]?.toFixed(0);
    const server = heardToWritten.length
      ? `server: heard → written to all p50 ${at(heardToWritten, 50)} ms, p99 ${at(heardToWritten, 99)} ms (writing alone p50 ${at(writing, 50)}, p99 ${at(writing, 99)} ms) over ${heardToWritten.length} runs`
      : "server: no run written directly";
    return { result, server };
  } finally {
    directRuns.unsubscribe(listener);
  }
}

/**
 * One delivery run `name` (profiled with BENCH_PROFILE): the server process's CPU around it (the load
 * generators are other processes), the load average, and the server's own share (`serverSide`).
 */
async function measured<T>(name: string, work: () => Promise<T>) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const { result, server } = await serverSide(() => profiled(name, work));
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - started) / 1000;
  return { result, server, cpuPercent: ((used.user + used.system) / 1e6 / seconds) * 100, load: loadavg()[0]!.toFixed(1) };
}

function memory() {
  global.gc?.();
  return process.memoryUsage();
}

async function chatCase(label: string, servers: OnAirServer[], username: string) {
  const count = RATE * SECONDS;
  const senders = await seedViewers(servers[0]!.db, RATE * 2, `fan${label.length}${servers.length}`);
  const input = encodeURIComponent(JSON.stringify(superjson.serialize({ username })));
  const before = memory();
  const children = await loaders(
    servers.map((server) => `${server.url}/trpc/chat.onMessage?input=${input}`),
    "chat",
  );
  const after = memory();
  const sender = startChild("fanout-load.ts");
  try {
    const {
      result,
      server: serverShare,
      cpuPercent,
      load,
    } = await measured(`fanout ${label}`, async () => {
      const clientCpu = await loadCpu(children);
      const started = performance.now();
      const sent = await sender.request<{ acks: number[]; failures: number; seconds: number; offered: number; error?: string }>(
        { send: { urls: servers.map((server) => server.url), username, authorizations: senders, rate: RATE, count } },
        SECONDS * 1000 + 120_000,
      );
      if (sent.error) throw new Error(sent.error);
      // Every frame read (or 10 s more), then the check.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const clientPercent = (((await loadCpu(children)) - clientCpu) / ((performance.now() - started) / 1000)) * 100;
      return {
        ...(await collect(children, sent.acks, count)),
        clientPercent,
        rate: count / sent.seconds,
        offered: sent.offered,
        failures: sent.failures,
      };
    });
    const perSubscriber = (after.rss - before.rss) / SUBSCRIBERS / 1024;
    report({
      scenario: "fanout",
      case: label,
      rps: Math.round(result.rate * SUBSCRIBERS),
      p50: result.p50,
      p99: result.p99,
      ratio: `${result.inOrder}/${result.subscribers} exactly once in order`,
      note: `${SUBSCRIBERS} chat.onMessage · ${result.offered.toFixed(0)} msg/s sent, ${result.rate.toFixed(0)} msg/s acknowledged${result.failures ? ` (${result.failures} sends failed and were retried)` : ""} · ${result.deliveries}/${count * SUBSCRIBERS} deliveries · server ${perSubscriber.toFixed(1)} KB RSS/subscriber (heap ${((after.heapUsed - before.heapUsed) / SUBSCRIBERS / 1024).toFixed(1)} KB), CPU ${cpuPercent.toFixed(0)}% of one core (${cpus().length} cores; the subscribers' processes ${result.clientPercent.toFixed(0)}%), load ${load} · ${serverShare}`,
    });
  } finally {
    await sender.stop();
    await Promise.all(children.map((child) => child.stop()));
  }
}

async function statusCase(server: OnAirServer, username: string) {
  const changes = Math.max(2, Math.round((SECONDS * 1000) / STATUS_EVERY_MS));
  const input = encodeURIComponent(JSON.stringify(superjson.serialize({ username })));
  const children = await loaders([`${server.url}/trpc/stream.onStatus?input=${input}`], "status");
  const [owner] = await server.db.select({ id: user.id }).from(user).where(eq(user.username, username));
  try {
    const {
      result,
      server: serverShare,
      cpuPercent,
      load,
    } = await measured("fanout stream.onStatus", async () => {
      const acks: number[] = [0];
      for (let n = 1; n < changes; n++) {
        await new Promise((resolve) => setTimeout(resolve, STATUS_EVERY_MS));
        await server.db.update(stream).set({ viewerCount: n }).where(eq(stream.userId, owner!.id));
        await notify(server.db, STREAM_CHANNEL, username);
        acks[n] = performance.timeOrigin + performance.now();
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
      return collect(children, acks, changes);
    });
    report({
      scenario: "fanout",
      case: "stream.onStatus, 1 instance",
      rps: null,
      p50: result.p50,
      p99: result.p99,
      ratio: `${result.inOrder}/${result.subscribers} saw every change settle in order`,
      note: `${SUBSCRIBERS} subscribers, viewer count changed every ${STATUS_EVERY_MS / 1000} s · CPU ${cpuPercent.toFixed(0)}%, load ${load} · ${serverShare}`,
    });
  } finally {
    await Promise.all(children.map((child) => child.stop()));
  }
}

/** 10,000 subscribers on one instance (chat at 50 messages/s, then status), and three instances on Redis. */
export async function fanout() {
  const big = { limits: { maxConnections: SUBSCRIBERS + 1000, subscriptionsPerClient: Infinity } };
  const database = await openBenchDatabase(postgresUrl ? "PostgreSQL" : "PGlite");
  const a = await startOnAir(database.handle, big);
  try {
    const [creator] = await makeCreators(a, ["fanout_creator"]);
    await chatCase("chat.onMessage, 1 instance", [a], creator!.username);
    await statusCase(a, creator!.username);
  } finally {
    await a.close();
    await database.handle.close();
  }

  if (!postgresUrl || throwawayRedisUnavailable) {
    console.log(`  three instances on Redis: skipped — ${throwawayRedisUnavailable ?? "set DATABASE_URL or TEST_DATABASE_URL"}`);
    return;
  }
  const shared = await openBenchDatabase("PostgreSQL");
  const redis = await startThrowawayRedis();
  const handles = [shared.handle, shared.another(), shared.another()];
  const buses: Bus[] = [];
  const servers: OnAirServer[] = [];
  try {
    for (const handle of handles) {
      const bus = openRedisBus(redis.url, handle.db);
      await bus.ready();
      buses.push(bus);
      servers.push(await startOnAir(handle, { ...big, bus }));
    }
    const [creator] = await makeCreators(servers[0]!, ["fanout_redis"]);
    await chatCase("chat.onMessage, 3 instances on Redis (sent to all three)", servers, creator!.username);
  } finally {
    for (const server of servers) await server.close();
    for (const bus of buses) await bus.close();
    for (const handle of handles.slice(1)) await handle.close();
    await shared.handle.close();
    await redis.stop();
  }
}
