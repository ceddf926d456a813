import { randomUUID } from "node:crypto";
import { Agent, request } from "node:http";
import type { LoadRequest } from "./lib/load";

/**
 * The popular scenario's load generator (its own process): `connections` keep-alive connections, each
 * sending back to back for `seconds` (or, with `perSecond`, one request every 1/perSecond s whatever
 * came back), rotating through bearer tokens; then waits for every answer, so the latencies include
 * the requests the server had queued when the run ended (autocannon drops those).
 */
export interface PopularLoad {
  url: string;
  request: LoadRequest;
  /** Every occurrence of this text in the body becomes a fresh UUID in each request (an idempotency key). */
  freshKey?: string | undefined;
  connections: number;
  seconds: number;
  authorizations?: string[] | undefined;
  perSecond?: number | undefined;
}

export interface PopularResult {
  ok: number;
  failed: number;
  /** 2xx answers per second, from the start to the last answer. */
  rps: number;
  p50: number;
  p99: number;
  max: number;
  /** Seconds from the start to the last answer. */
  elapsed: number;
}

const TIMEOUT_MS = 60_000;

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]! : Number.NaN;

function send(
  agent: Agent,
  url: string,
  spec: LoadRequest,
  freshKey: string | undefined,
  authorization: string | undefined,
): Promise<number> {
  const body = spec.body && freshKey ? spec.body.replaceAll(freshKey, randomUUID()) : spec.body;
  const headers = { ...spec.headers, ...(authorization ? { authorization } : {}) };
  return new Promise((resolve) => {
    const req = request(`${url}${spec.path}`, { method: spec.method, agent, headers, timeout: TIMEOUT_MS }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", () => resolve(0));
    req.end(body);
  });
}

export async function runPopularLoad(load: PopularLoad): Promise<PopularResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: load.connections });
  const latencies: number[] = [];
  let failed = 0;
  let next = 0;
  let last = 0;
  const started = performance.now();
  const until = started + load.seconds * 1000;
  const one = async () => {
    const auth = load.authorizations?.length ? load.authorizations[next++ % load.authorizations.length] : undefined;
    const t = performance.now();
    const status = await send(agent, load.url, load.request, load.freshKey, auth);
    last = performance.now();
    if (status >= 200 && status < 300) latencies.push(last - t);
    else failed++;
  };
  if (load.perSecond) {
    const sent: Promise<void>[] = [];
    for (let i = 0; i < load.seconds * load.perSecond; i++) {
      const at = started + (i * 1000) / load.perSecond;
      if (at > performance.now()) await new Promise((resolve) => setTimeout(resolve, at - performance.now()));
      sent.push(one());
    }
    await Promise.all(sent);
  } else {
    await Promise.all(
      Array.from({ length: load.connections }, async () => {
        while (performance.now() < until) await one();
      }),
    );
  }
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  const elapsed = (last - started) / 1000;
  return {
    ok: sorted.length,
    failed,
    rps: sorted.length / elapsed,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    elapsed,
  };
}

process.once("message", (load: PopularLoad) => {
  runPopularLoad(load)
    .then((result) => process.send?.({ result }))
    .catch((error: unknown) => process.send?.({ error: String(error) }));
});
