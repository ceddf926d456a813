import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@onair/db";
import { createTestDatabase } from "@onair/db/testing";
import { createOnAirClient, signIn, type AppRouter } from "@onair/client";
import { signUp, startServer } from "../testing";

describe("createOnAirClient against a running server", () => {
  let handle: DatabaseHandle;
  let app: Awaited<ReturnType<typeof startServer>>["app"];
  let url: string;

  beforeAll(async () => {
    handle = await createTestDatabase();
    ({ app, url } = await startServer(handle));
    await signUp(url, "svc_bot");
  });

  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it("calls protected procedures with a bearer token from signIn", async () => {
    const token = await signIn(url, "svc_bot@example.com", "service-pass-1");
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

  it("splits more than 16 calls at once into batches the server takes (it refuses a batch of 17)", async () => {
    const client = createOnAirClient({ url });
    const catalogs = await Promise.all(Array.from({ length: 40 }, () => client.gift.catalog.query()));
    expect(catalogs).toHaveLength(40);
    expect(catalogs.every((catalog) => catalog.length > 0)).toBe(true);
  });

  it("is refused without a token", async () => {
    const client = createOnAirClient({ url });
    await expect(client.account.me.query()).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
  });

  it("rejects a wrong password with a clear message", async () => {
    await expect(signIn(url, "svc_bot@example.com", "wrong-password")).rejects.toThrow(/Sign-in failed \(401\)/);
  });
});
