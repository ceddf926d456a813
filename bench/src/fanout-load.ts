import { randomUUID } from "node:crypto";
import { connect, type Socket } from "node:net";
import superjson from "superjson";

/**
 * The fanout scenario's load generator (its own process). `subscribe`: many SSE connections, each
 * recording the sequence numbers it reads ("bench <n>" in a chat message, or the viewer count of a
 * status view) and when. `send`: chat messages "bench <n>" at a steady rate from many users, each
 * acknowledged time recorded. `report`: against the acknowledgements, every subscriber's order check
 * (exactly once, in order) and a 1 ms latency histogram (ack → frame read).
 */
type Command =
  | { subscribe: { targets: string[]; count: number; kind: "chat" | "status" } }
  | { send: { urls: string[]; username: string; authorizations: string[]; rate: number; count: number } }
  | { report: { acks: number[]; count: number } }
  | { cpu: true };

const now = () => performance.timeOrigin + performance.now();
const subscribers: { seen: number[]; at: number[]; ids: number[] }[] = [];
const open: Socket[] = [];
let kind: "chat" | "status" = "chat";

/**
 * One SSE subscriber on a raw TCP connection: the request written by hand and the response scanned as
 * it comes, without node:http's parser and streams (they cost the load processes more than the
 * server's delivery did, on the same two cores). HTTP/1.1 chunk framing sits between frames only, so
 * the frames are read straight out of the bytes.
 */
function subscribe(target: string): Promise<void> {
  const record = { seen: [] as number[], at: [] as number[], ids: [] as number[] };
  subscribers.push(record);
  const url = new URL(target);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/event-stream\r\n\r\n`);
    });
    socket.setEncoding("utf8");
    let buffer = "";
    let connected = false;
    // Chat: "bench <n>" and the frame's tracked id (commit order); status: the viewer count (twice).
    const pattern = kind === "chat" ? /bench (\d+)[^\n]*\nid: (\d+)\n/g : /"viewerCount":((\d+))/g;
    socket.on("data", (chunk: string) => {
      const at = now();
      buffer += chunk;
      if (!connected && buffer.length >= 12 && !buffer.startsWith("HTTP/1.1 200")) {
        socket.destroy();
        return reject(new Error(`${target} answered ${buffer.split("\r\n")[0]}`));
      }
      // Whole frames only (a frame ends with a blank line; none has one inside), read in one pass.
      const end = buffer.lastIndexOf("\n\n");
      if (end < 0) return;
      const frames = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!connected) {
        if (!frames.includes("event: connected")) return reject(new Error(`${target}: no connected frame`));
        connected = true;
        resolve();
      }
      for (const match of frames.matchAll(pattern)) {
        record.seen.push(Number(match[1]));
        record.at.push(at);
        record.ids.push(Number(match[2]));
      }
    });
    socket.on("error", reject);
    open.push(socket);
  });
}

async function send({ urls, username, authorizations, rate, count }: Extract<Command, { send: unknown }>["send"]) {
  const acks: number[] = new Array<number>(count).fill(0);
  const started = now();
  const sends: Promise<void>[] = [];
  let failures = 0;
  for (let n = 0; n < count; n++) {
    const due = started + (n * 1000) / rate;
    const wait = due - now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    // The web app's way: a failed send is tried again with the same clientMessageId (stored once).
    const body = JSON.stringify(superjson.serialize({ username, text: `bench ${n}`, clientMessageId: randomUUID() }));
    const url = urls[n % urls.length]!;
    const attempt = async (left: number): Promise<void> => {
      const response = await fetch(`${url}/trpc/chat.send`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: authorizations[n % authorizations.length]! },
        body,
      });
      if (response.ok) return void (acks[n] = now());
      const text = await response.text();
      if (left === 0) throw new Error(`chat.send ${n}: ${response.status} ${text}`);
      failures++;
      return attempt(left - 1);
    };
    sends.push(attempt(5));
  }
  const sendsIssued = now();
  await Promise.all(sends);
  return { acks, failures, seconds: (now() - started) / 1000, offered: (count / (sendsIssued - started)) * 1000 };
}

function report(acks: number[], count: number) {
  const histogram = new Array<number>(10_001).fill(0);
  let inOrder = 0;
  let deliveries = 0;
  for (const { seen, at, ids } of subscribers) {
    // Chat: every message once (each n once), in commit order (ids rising); status: rising to the last change.
    const exact = kind === "chat" ? seen.length === count && new Set(seen).size === count : ids.at(-1) === count - 1;
    if (exact && ids.every((id, i) => i === 0 || (kind === "chat" ? id > ids[i - 1]! : id >= ids[i - 1]!))) inOrder++;
    for (let i = 0; i < seen.length; i++) {
      const ack = acks[seen[i]!];
      if (!ack) continue;
      deliveries++;
      histogram[Math.min(10_000, Math.max(0, Math.round(at[i]! - ack)))]!++;
    }
  }
  return { subscribers: subscribers.length, inOrder, deliveries, histogram };
}

process.on("message", (command: Command) => {
  if ("subscribe" in command) {
    const { targets, count } = command.subscribe;
    kind = command.subscribe.kind;
    // In waves: 10,000 connections at once would overrun the listen backlog.
    void (async () => {
      for (let i = 0; i < count; i += 200) {
        await Promise.all(Array.from({ length: Math.min(200, count - i) }, (_, j) => subscribe(targets[(i + j) % targets.length]!)));
      }
    })().then(
      () => process.send?.({ connected: count }),
      (error: unknown) => process.send?.({ error: String(error) }),
    );
  } else if ("send" in command) {
    send(command.send).then(
      (result) => process.send?.(result),
      (error: unknown) => process.send?.({ error: String(error) }),
    );
  } else if ("cpu" in command) {
    const used = process.cpuUsage();
    process.send?.({ seconds: (used.user + used.system) / 1e6 });
  } else {
    process.send?.(report(command.report.acks, command.report.count));
  }
});

process.once("SIGTERM", () => {
  for (const socket of open) socket.destroy();
  process.exit(0);
});
