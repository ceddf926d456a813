import autocannon from "autocannon";
import { alsoInProcess } from "./config";
import { startChild } from "./child";

export interface LoadRequest {
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string | undefined;
}

export interface LoadSpec {
  /** The server's origin, e.g. http://127.0.0.1:1234 */
  url: string;
  /** One pass through these is one unit of work (a viewer join); every connection loops over them. */
  requests: LoadRequest[];
  connections: number;
  seconds: number;
  /** `Authorization` values: each pass through `requests` takes the next one (many distinct viewers). */
  authorizations?: string[] | undefined;
  warmupSeconds?: number;
  /** A warm-up of exactly this many requests first (e.g. one join per viewer), same rotation. */
  warmupRequests?: number;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
  where: "child process" | "same process";
}

/** autocannon with `spec`; used by the child process and, for comparison, in-process. */
export async function runAutocannon(spec: LoadSpec, where: LoadResult["where"] = "child process"): Promise<LoadResult> {
  let next = 0;
  const auth = spec.authorizations;
  const requests = spec.requests.map((request, index) => ({
    method: request.method,
    path: request.path,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
    ...(auth?.length
      ? {
          setupRequest: (raw: { headers?: Record<string, string> }, context: Record<string, unknown>) => {
            if (index === 0 || typeof context.auth !== "string") context.auth = auth[next++ % auth.length];
            raw.headers = { ...raw.headers, authorization: context.auth as string };
            return raw;
          },
        }
      : {}),
  }));
  const run = (duration: number, amount?: number) =>
    autocannon({ url: spec.url, connections: spec.connections, duration, amount, requests, timeout: 10 } as autocannon.Options);
  if (spec.warmupRequests) await run(60, spec.warmupRequests);
  if (spec.warmupSeconds) await run(spec.warmupSeconds);
  const result = await run(spec.seconds);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    where,
  };
}

/** Runs the load generator in a child process, so it does not share the server's event loop. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const child = startChild("load-child.ts");
  try {
    const reply = await child.request<{ result?: LoadResult; error?: string }>(
      spec,
      (spec.seconds + (spec.warmupSeconds ?? 0)) * 1000 + 120_000,
    );
    if (!reply.result) throw new Error(`load generator failed: ${reply.error}`);
    return reply.result;
  } finally {
    await child.stop();
  }
}

/** The child-process figure, plus the same-process one when BENCH_IN_PROCESS=1 (printed, not reported). */
export async function measure(label: string, spec: LoadSpec): Promise<LoadResult> {
  const result = await runLoad(spec);
  if (alsoInProcess) {
    const same = await runAutocannon(spec, "same process");
    console.log(`    (${label}, load generator in the server's process: ${Math.round(same.rps)} req/s, p99 ${same.p99} ms)`);
  }
  return result;
}
