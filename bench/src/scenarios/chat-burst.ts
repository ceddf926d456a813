import superjson from "superjson";
import { postgresUrl, runSeconds } from "../lib/config";
import { openBenchDatabase, startOnAir, type DbKind, type OnAirServer } from "../lib/onair";
import { report } from "../lib/report";
import { makeCreators, onairClient, seedViewers } from "../lib/seed";
import { percentile } from "./golive";

/** 12 users sending at once every second, half through each instance; 2 subscribers per instance. */
const SENDERS = 12;
const SUBSCRIBERS_PER_INSTANCE = 2;

const now = () => performance.timeOrigin + performance.now();

/** One `chat.onMessage` SSE subscriber (resuming from `lastEventId`), recording message ids and arrival times. */
export function subscribe(url: string, username: string, lastEventId: string) {
  const input = encodeURIComponent(JSON.stringify(superjson.serialize({ username, lastEventId })));
  const controller = new AbortController();
  const ids: number[] = [];
  const arrived = new Map<number, number>();
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  void (async () => {
    const response = await fetch(`${url}/trpc/chat.onMessage?input=${input}`, {
      signal: controller.signal,
      headers: { accept: "text/event-stream" },
    });
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (frame.startsWith("event: connected")) connected();
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (!data || frame.startsWith("event:")) continue;
        const event = superjson.deserialize<{ type: string; id: number }>(JSON.parse(data) as Parameters<typeof superjson.deserialize>[0]);
        if (event.type !== "message") continue;
        ids.push(event.id);
        arrived.set(event.id, now());
      }
    }
  })().catch(() => connected());
  return { ids, arrived, ready, stop: () => controller.abort() };
}

/**
 * Chat under burst: every second, SENDERS users send at once (half through each instance), for a few
 * seconds; every subscriber must see every acknowledged message exactly once, in id order. Prints
 * messages/s, delivery p99 and losses (must be 0).
 */
export async function chatBurst() {
  const kinds: { instances: 1 | 2; dbKind: DbKind }[] = postgresUrl
    ? [{ instances: 2, dbKind: "PostgreSQL" }]
    : [{ instances: 1, dbKind: "PGlite" }];
  const rounds = runSeconds(5);
  for (const { instances, dbKind } of kinds) {
    const database = await openBenchDatabase(dbKind);
    const second = instances === 2 ? database.another() : undefined;
    const a = await startOnAir(database.handle);
    const b = second ? await startOnAir(second) : undefined;
    const servers: OnAirServer[] = [a, ...(b ? [b] : [])];
    try {
      const [creator] = await makeCreators(a, ["burst_creator"]);
      const username = creator!.username;
      const tokens = await seedViewers(a.db, SENDERS, "burster");
      const senders = tokens.map((authorization, i) => onairClient(servers[i % servers.length]!.url, { authorization }));
      const subscribers = servers.flatMap((server) =>
        Array.from({ length: SUBSCRIBERS_PER_INSTANCE }, () => subscribe(server.url, username, "0")),
      );
      await Promise.all(subscribers.map((s) => s.ready));

      const sentAt = new Map<number, number>();
      let failed = 0;
      const started = now();
      for (let round = 0; round < rounds; round++) {
        const roundStart = now();
        await Promise.all(
          senders.map(async (client, i) => {
            const t = now();
            try {
              const message = await client.chat.send.mutate({ username, text: `burst ${round}.${i}` });
              sentAt.set(message.id, t);
            } catch {
              failed++;
            }
          }),
        );
        const rest = 1000 - (now() - roundStart);
        if (rest > 0 && round < rounds - 1) await new Promise((resolve) => setTimeout(resolve, rest));
      }
      const elapsed = (now() - started) / 1000;
      // Wait (≤ 5 s) for every acknowledged message to reach every subscriber.
      const deadline = now() + 5000;
      while (now() < deadline && subscribers.some((s) => [...sentAt.keys()].some((id) => !s.arrived.has(id)))) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      let lost = 0;
      let duplicates = 0;
      let outOfOrder = 0;
      const latencies: number[] = [];
      for (const s of subscribers) {
        for (const [id, t] of sentAt) {
          const at = s.arrived.get(id);
          if (at === undefined) lost++;
          else latencies.push(at - t);
        }
        duplicates += s.ids.length - new Set(s.ids).size;
        outOfOrder += s.ids.filter((id, i) => i > 0 && id < s.ids[i - 1]!).length;
        s.stop();
      }
      report({
        scenario: "chat-burst",
        case: `${instances} instance${instances > 1 ? "s" : ""} on ${dbKind}`,
        rps: sentAt.size / elapsed,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        ratio: `losses ${lost}`,
        note: `${sentAt.size} messages acknowledged (${failed} refused) × ${subscribers.length} subscribers · ${duplicates} duplicates · ${outOfOrder} out of order · req/s = messages/s, p50/p99 = delivery`,
      });
    } finally {
      await b?.close();
      await a.close();
      await second?.close();
      await database.handle.close();
    }
  }
}
