import { createServer } from "node:net";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@onair/db";
import { createTestDatabase } from "@onair/db/testing";
import { buildApp, loadEnv } from "@onair/server";
import { createOnAirClient, signIn, type AppRouter } from "./index";

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe("createOnAirClient against a running server", () => {
  let handle: DatabaseHandle;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let url: string;

  beforeAll(async () => {
    handle = await createTestDatabase();
    const port = await freePort();
    url = `http://localhost:${port}`;
    app = await buildApp({ env: loadEnv({ NODE_ENV: "test", PORT: String(port) }), db: handle.db });
    await app.listen({ port, host: "127.0.0.1" });
    const signUp = await fetch(`${url}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: url },
      body: JSON.stringify({ email: "svc@example.com", password: "service-pass-1", name: "Svc", username: "svc_bot" }),
    });
    expect(signUp.status).toBe(200);
  });

  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it("calls protected procedures with a bearer token from signIn", async () => {
    const token = await signIn(url, "svc@example.com", "service-pass-1");
    const client = createOnAirClient({ url, token });
    const me = await client.account.me.query();
    expect(me.username).toBe("svc_bot");
    expect(me.creatorStatus).toBe("none");
    const applied = await client.creator.requestApproval.mutate();
    expect(applied.status).toBe("pending");
  });

  it("batches public queries and surfaces typed errors", async () => {
    const client = createOnAirClient({ url });
    const [live, missing] = await Promise.allSettled([
      client.stream.live.query({ limit: 5 }),
      client.stream.byUsername.query({ username: "nobody_here" }),
    ]);
    expect(live.status === "fulfilled" && live.value.items).toEqual([]);
    expect(missing.status).toBe("rejected");
    const error = (missing as PromiseRejectedResult).reason as TRPCClientError<AppRouter>;
    expect(error).toBeInstanceOf(TRPCClientError);
    expect(error.data?.code).toBe("NOT_FOUND");
  });

  it("is refused without a token", async () => {
    const client = createOnAirClient({ url });
    await expect(client.account.me.query()).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
  });

  it("rejects a wrong password with a clear message", async () => {
    await expect(signIn(url, "svc@example.com", "wrong-password")).rejects.toThrow(/Sign-in failed \(401\)/);
  });
});
