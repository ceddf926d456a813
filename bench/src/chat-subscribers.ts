import { request, type ClientRequest } from "node:http";

/**
 * Holds many SSE connections (tRPC's `chat.onMessage`, or the bare baseline) in its own process and
 * records, for each message whose text is "bench <n> <sentAt>", how long after `sentAt` each subscriber got it.
 */
type Command =
  | { connect: { targets: string[]; count: number } }
  | { collect: { messages: number; timeoutMs: number } }
  | { await: { id: number; timeoutMs: number } };

const now = () => performance.timeOrigin + performance.now();
const received = new Map<number, number[]>();
const open: ClientRequest[] = [];
let count = 0;

function subscribe(target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(target, { agent: false, headers: { accept: "text/event-stream" } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`${target} answered ${res.statusCode}`));
      res.setEncoding("utf8");
      let buffer = "";
      res.on("data", (chunk: string) => {
        const at = now();
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (/^event: connected/m.test(event)) resolve();
          const match = /bench (\d+) ([\d.]+)/.exec(event);
          if (match) {
            const id = Number(match[1]);
            const list = received.get(id) ?? [];
            list.push(at - Number(match[2]));
            received.set(id, list);
          }
        }
      });
    });
    req.on("error", reject);
    req.end();
    open.push(req);
  });
}

async function delivered(id: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while ((received.get(id)?.length ?? 0) < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
  return { id, delivered: received.get(id)?.length ?? 0 };
}

async function collect(messages: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  const complete = () => [...Array(messages).keys()].every((id) => (received.get(id)?.length ?? 0) >= count);
  while (!complete() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  const latencies = [...received.values()].flat();
  return { latencies, missing: messages * count - latencies.length };
}

process.on("message", (command: Command) => {
  if ("connect" in command) {
    const { targets, count: n } = command.connect;
    count = n;
    const all = Array.from({ length: n }, (_, i) => subscribe(targets[i % targets.length]!));
    Promise.all(all)
      .then(() => process.send?.({ connected: n }))
      .catch((error: unknown) => process.send?.({ error: String(error) }));
  } else if ("await" in command) {
    void delivered(command.await.id, command.await.timeoutMs).then((result) => process.send?.(result));
  } else {
    void collect(command.collect.messages, command.collect.timeoutMs).then((result) => process.send?.(result));
  }
});

process.once("SIGTERM", () => {
  for (const req of open) req.destroy();
  process.exit(0);
});
