import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { sql } from "drizzle-orm";
import superjson from "superjson";
import type { AppRouter } from "@onair/api";
import type { Database } from "@onair/db";
import type { OnAirServer } from "./onair";

export type Fetch = typeof fetch;

/** The standard client, as the web app and service clients build it (httpBatchLink + superjson). */
export function onairClient(url: string, options: { authorization?: string; fetch?: Fetch } = {}) {
  const { authorization } = options;
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${url}/trpc`,
        transformer: superjson,
        headers: () => (authorization ? { authorization } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    ],
  });
}
export type OnAirClient = ReturnType<typeof onairClient>;

/** Signs up through Better Auth's HTTP route; returns `Bearer <set-auth-token>`. */
export async function signUp(server: OnAirServer, username: string): Promise<string> {
  const response = await fetch(`${server.url}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.publicUrl },
    body: JSON.stringify({ email: `${username}@bench.test`, password: "bench-password-1", name: username, username }),
  });
  const token = response.headers.get("set-auth-token");
  if (!response.ok || !token) throw new Error(`sign-up of ${username} failed: ${response.status} ${await response.text()}`);
  return `Bearer ${token}`;
}

export interface Creator {
  username: string;
  authorization: string;
  client: OnAirClient;
}

/** An admin (the first account) approves `usernames` as creators; each gets a channel. */
export async function makeCreators(server: OnAirServer, usernames: string[]): Promise<Creator[]> {
  const admin = onairClient(server.url, { authorization: await signUp(server, "bench_admin") });
  const creators: Creator[] = [];
  for (const username of usernames) {
    const authorization = await signUp(server, username);
    const client = onairClient(server.url, { authorization });
    await client.creator.requestApproval.mutate();
    await admin.admin.approveCreator.mutate({ username });
    creators.push({ username, authorization, client });
  }
  return creators;
}

/** A creator who is live now. */
export async function makeLiveCreator(server: OnAirServer, username = "big_creator"): Promise<Creator> {
  const [creator] = await makeCreators(server, [username]);
  await creator!.client.stream.goLive.mutate({ title: "Launch day: the big stream" });
  return creator!;
}

/**
 * `count` signed-in viewers straight in the database (Better Auth's own tables: one user and one
 * session each; sign-up's password hashing would take minutes). Returns their `Authorization` values.
 */
export async function seedViewers(db: Database, count: number, prefix = "viewer"): Promise<string[]> {
  await db.execute(sql`
    insert into "user" (id, name, email, email_verified, username, display_username, role)
    select ${prefix} || '-' || i, ${prefix} || ' ' || i, ${prefix} || i || '@bench.test', true,
           ${prefix} || '_' || i, ${prefix} || '_' || i, 'user'
    from generate_series(1, ${count}) as i`);
  // Sessions as Better Auth makes them at sign-in (7 days), so looking one up does not refresh it.
  await db.execute(sql`
    insert into session (id, token, user_id, expires_at, ip_address, user_agent)
    select 'sess-' || ${prefix} || '-' || i, md5(${prefix} || i || random()::text) || md5(random()::text),
           ${prefix} || '-' || i, now() + interval '7 days', '127.0.0.1', 'bench'
    from generate_series(1, ${count}) as i`);
  const rows = await db.execute<{ token: string }>(sql`select token from session where id like ${`sess-${prefix}-%`} order by id`);
  const list = (Array.isArray(rows) ? rows : (rows as { rows: { token: string }[] }).rows) as { token: string }[];
  return list.map((row) => `Bearer ${row.token}`);
}
