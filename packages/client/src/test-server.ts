import type { DatabaseHandle } from "@onair/db";
import { freePort } from "@onair/db/testing";
import { buildApp, loadEnv } from "@onair/server";

export { freePort };

type AppOptions = Omit<Parameters<typeof buildApp>[0], "env" | "database">;

/** A real OnAir server listening on a free port (one instance; start several on one database). */
export async function startServer(
  database: Pick<DatabaseHandle, "db" | "listen">,
  env: Record<string, string> = {},
  options: AppOptions = {},
) {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const app = await buildApp({
    env: loadEnv({ NODE_ENV: "test", PORT: String(port), AUTH_RATE_LIMIT: "1000", SWEEP_INTERVAL_MS: "0", ...env }),
    database,
    ...options,
  });
  await app.listen({ port, host: "127.0.0.1" });
  return { app, url };
}

export async function signUp(url: string, username: string, password = "service-pass-1"): Promise<string> {
  const response = await fetch(`${url}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify({ email: `${username}@example.com`, password, name: username, username }),
  });
  const token = response.headers.get("set-auth-token");
  if (response.status !== 200 || !token) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  return token;
}
