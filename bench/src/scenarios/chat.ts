import superjson from "superjson";
import { startBaselineServer, startChild, type Child } from "../lib/child";
import { postgresUrl } from "../lib/config";
import { LIVEKIT, openBenchDatabase, startOnAir, type DbKind } from "../lib/onair";
import { report, times } from "../lib/report";
import { makeCreators, onairClient, seedViewers } from "../lib/seed";
import { percentile } from "./golive";

const SUBSCRIBERS = 1000;
/** Sent one at a time: the next once every subscriber has the last (or after 5 s). */
const MESSAGES = 10;

type Delivery = { latencies: number[]; missing: number };
const now = () => performance.timeOrigin + performance.now();

/** Opens SUBSCRIBERS SSE connections (spread over `targets`) from a child process. */
async function subscribers(targets: string[]): Promise<Child> {
  const child = startChild("chat-subscribers.ts");
  const reply = await child.request<{ connected?: number; error?: string }>({ connect: { targets, count: SUBSCRIBERS } }, 60_000);
  if (!reply.connected) throw new Error(`subscribers could not connect: ${reply.error}`);
  return child;
}

function summarize(label: string, delivery: Delivery, base?: number) {
  const p50 = percentile(delivery.latencies, 50);
  report({
    scenario: "chat",
    case: label,
    rps: null,
    p50,
    p99: percentile(delivery.latencies, 99),
    ratio: base === undefined ? "baseline" : times(p50, base, "bare SSE (p50)"),
    note: `${MESSAGES} messages × ${SUBSCRIBERS} subscribers${delivery.missing ? ` · ${delivery.missing} deliveries missing` : ""}`,
  });
  return p50;
}

/**
 * One warm-up message (not counted: a fresh server's first send compiles its code paths and prepares
 * its statements), then MESSAGES messages, one at a time; collects every delivery's latency.
 */
async function fanOut(child: Child, send: (text: string, n: number) => Promise<unknown>): Promise<Delivery> {
  await send("warm-up", MESSAGES);
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (let n = 0; n < MESSAGES; n++) {
    await send(`bench ${n} ${now()}`, n);
    await child.request({ await: { id: n, timeoutMs: 5000 } }, 10_000);
  }
  return child.request<Delivery>({ collect: { messages: MESSAGES, timeoutMs: 1000 } }, 30_000);
}

/** One chat message to 1,000 `chat.onMessage` subscribers: delivery latency, one instance and two. */
export async function chat() {
  const sse = await startBaselineServer("baselines/sse-fanout.ts", { channelBody: "{}", ...LIVEKIT, wsUrl: LIVEKIT.url, roomName: "none" });
  let base: number;
  try {
    const child = await subscribers([sse.url]);
    const delivery = await fanOut(child, async (text) => sse.child.process.send({ broadcast: text }));
    base = summarize("bare node:http SSE fan-out", delivery);
    await child.stop();
  } finally {
    await sse.stop();
  }

  const cases: { instances: 1 | 2; dbKind: DbKind }[] = [{ instances: 1, dbKind: "PGlite" }];
  if (postgresUrl) cases.push({ instances: 2, dbKind: "PostgreSQL" });
  for (const { instances, dbKind } of cases) {
    const database = await openBenchDatabase(dbKind);
    const second = instances === 2 ? database.another() : undefined;
    const a = await startOnAir(database.handle);
    const b = second ? await startOnAir(second) : undefined;
    try {
      const [creator] = await makeCreators(a, ["chat_creator"]);
      // One sender per message (and the warm-up): the per-user rate limit never refuses one.
      const senders = (await seedViewers(a.db, MESSAGES + 1, "chatter")).map((authorization) => onairClient(a.url, { authorization }));
      const input = encodeURIComponent(JSON.stringify(superjson.serialize({ username: creator!.username })));
      const targets = [a, ...(b ? [b] : [])].map((server) => `${server.url}/trpc/chat.onMessage?input=${input}`);
      const child = await subscribers(targets);
      const delivery = await fanOut(child, (text, n) => senders[n]!.chat.send.mutate({ username: creator!.username, text }));
      await child.stop();
      summarize(`${instances} instance${instances > 1 ? "s" : ""} on ${dbKind}`, delivery, base);
    } finally {
      await b?.close();
      await a.close();
      await second?.close();
      await database.handle.close();
    }
  }
  if (!postgresUrl)
    console.log("  two instances: skipped — set DATABASE_URL or TEST_DATABASE_URL to a PostgreSQL server (PGlite belongs to one process)");
}
