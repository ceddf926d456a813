import type { LoadRequest } from "./load";
import { onairClient, type Fetch, type OnAirClient } from "./seed";

/**
 * Runs `calls` through the real `@trpc/client` (httpBatchLink + superjson) and records the exact HTTP
 * requests it sends, e.g. `GET /trpc/stream.byUsername?batch=1&input=…` and `POST /trpc/stream.token?batch=1`.
 */
export async function capture<T>(url: string, authorization: string | undefined, calls: (client: OnAirClient) => Promise<T>) {
  const requests: LoadRequest[] = [];
  const bodies: string[] = [];
  const recording: Fetch = async (input, init) => {
    const target = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? "GET").toUpperCase();
    if (method !== "GET" && method !== "POST") throw new Error(`unexpected ${method} from httpBatchLink`);
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const path = target.pathname + target.search;
    requests.push({ method, path, headers, body: typeof init?.body === "string" ? init.body : undefined });
    const response = await fetch(input, init);
    const body = await response.clone().text();
    bodies.push(body);
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${body}`);
    return response;
  };
  const value = await calls(onairClient(url, { authorization, fetch: recording }));
  return { requests, bodies, value };
}

/** One viewer join: the channel's public view and a viewer token, sent together as a page sends them. */
export async function captureJoin(url: string, username: string, authorization?: string) {
  const { requests, bodies, value } = await capture(url, authorization, (client) =>
    Promise.all([client.stream.byUsername.query({ username }), client.stream.token.mutate({ username })]),
  );
  if (requests.length !== 2) throw new Error(`expected 2 requests per join, saw ${requests.length}`);
  const get = requests.findIndex((request) => request.method === "GET");
  const ordered = get === 0 ? requests : [requests[1]!, requests[0]!];
  return { requests: ordered, channel: value[0], token: value[1], channelBody: bodies[get] ?? "{}" };
}
