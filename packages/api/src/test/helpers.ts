import { TRPCError } from "@trpc/server";
import { getErrorShape } from "@trpc/server/unstable-core-do-not-import";
import { eq } from "drizzle-orm";
import { createAuth, type Auth } from "@onair/auth";
import { user, type Database, type User } from "@onair/db";
import { createTestDatabase, type TestDatabaseHandle } from "@onair/db/testing";
import { createTRPCContext } from "../context";
import { appRouter } from "../root";
import { createServices, silentLogger, type Services } from "../services";
import type { LiveKitConfig } from "../services/livekit";
import { createCallerFactory } from "../trpc";
import { startLiveKitDouble, type LiveKitDouble } from "./livekit-double";

/**
 * A fixture kit for API suites: one real database (PGlite in memory, or a fresh PostgreSQL database
 * when TEST_DATABASE_URL is set), Better Auth on top of it, and tRPC callers for any identity.
 * Create it once per file in `beforeAll` and `close()` it in `afterAll`.
 */

const createCaller = createCallerFactory(appRouter);
export type Caller = ReturnType<typeof createCaller>;

export interface SignedUp {
  /** `Authorization: Bearer <set-auth-token>`: what a service client sends. */
  headers: Headers;
  token: string;
  user: User;
  caller: Caller;
}

export interface SignUpInput {
  username: string;
  email?: string;
  password?: string;
  role?: "user" | "admin";
}

export interface TestKitOptions {
  adminEmails?: string[];
  /** Off by default so a suite's first account is not an admin by accident. */
  firstUserIsAdmin?: boolean;
}

export const TEST_PASSWORD = "correct-horse-battery";
export const TEST_SECRET = "onair-test-secret-0123456789abcdefghijklmnop";

/** LiveKit credentials every suite signs with; `apiUrl` points at the kit's RoomService double. */
export const TEST_LIVEKIT = { url: "ws://livekit.test:7880", apiKey: "test-key", apiSecret: "test-secret-0123456789abcdef0123456789" };

export interface TestKit {
  /** `openAnother()` gives a second pool to the same database (PostgreSQL), as another instance has. */
  handle: TestDatabaseHandle;
  db: Database;
  auth: Auth;
  services: Services;
  livekit: LiveKitConfig;
  /** The RoomService test double the services call. */
  livekitDouble: LiveKitDouble;
  caller(headers?: Headers): Caller;
  anonymous: Caller;
  signUp(input: SignUpInput): Promise<SignedUp>;
  /** Signs up, applies and has an admin approve: an approved creator with a channel. */
  makeCreator(username: string): Promise<SignedUp>;
  makeAdmin(username?: string): Promise<SignedUp>;
  close(): Promise<void>;
}

let serial = 0;
/** A username no other test in this process has used (3–30 chars, [a-z0-9_]). */
export function uniqueName(prefix = "u"): string {
  serial += 1;
  return `${prefix}_${process.pid.toString(36)}${serial.toString(36)}`.slice(0, 30).toLowerCase();
}

export function bearer(token: string): Headers {
  return new Headers({ authorization: `Bearer ${token}` });
}

export async function createTestKit(options: TestKitOptions = {}): Promise<TestKit> {
  const handle = await createTestDatabase();
  const { db } = handle;
  const auth = createAuth({
    db,
    secret: TEST_SECRET,
    baseURL: "http://localhost:3000",
    trustedOrigins: ["http://localhost:3000"],
    adminEmails: options.adminEmails ?? [],
    firstUserIsAdmin: options.firstUserIsAdmin ?? false,
  });
  const livekitDouble = await startLiveKitDouble(TEST_LIVEKIT);
  const livekit: LiveKitConfig = { ...TEST_LIVEKIT, apiUrl: livekitDouble.url };
  const services = await createServices({ handle, livekit, log: silentLogger });
  const caller = (headers: Headers = new Headers()) => createCaller(createTRPCContext({ headers, db, auth, services }));

  async function signUp({ username, email, password = TEST_PASSWORD, role }: SignUpInput): Promise<SignedUp> {
    const response = await auth.api.signUpEmail({
      body: { name: username, username, email: email ?? `${username.toLowerCase()}@test.onair`, password },
      asResponse: true,
    });
    if (!response.ok) throw new Error(`sign-up of ${username} failed: ${response.status} ${await response.text()}`);
    const token = response.headers.get("set-auth-token");
    if (!token) throw new Error(`sign-up of ${username} returned no set-auth-token header`);
    const body = (await response.json()) as { user: { id: string } };
    if (role) await db.update(user).set({ role }).where(eq(user.id, body.user.id));
    const [row] = await db.select().from(user).where(eq(user.id, body.user.id));
    if (!row) throw new Error(`user ${username} was not stored`);
    const headers = bearer(token);
    return { headers, token, user: row, caller: caller(headers) };
  }

  let defaultAdmin: Promise<SignedUp> | undefined;
  const makeAdmin = (username = uniqueName("admin")) => signUp({ username, role: "admin" });

  async function makeCreator(username: string): Promise<SignedUp> {
    const creator = await signUp({ username });
    await creator.caller.creator.requestApproval();
    const admin = await (defaultAdmin ??= makeAdmin());
    await admin.caller.admin.approveCreator({ username });
    return creator;
  }

  return {
    handle,
    db,
    auth,
    services,
    livekit,
    livekitDouble,
    caller,
    anonymous: caller(),
    signUp,
    makeCreator,
    makeAdmin,
    async close() {
      await services.events.stop();
      await livekitDouble.close();
      await handle.close();
    },
  };
}

/** The TRPCError a call rejects with (fails the test when it resolves or throws something else). */
export async function trpcError(call: Promise<unknown>): Promise<TRPCError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error("expected the call to fail with a TRPCError, but it succeeded");
}

/** The error as an HTTP client would see it: run through the router's error formatter. */
export function clientShape(error: TRPCError) {
  return getErrorShape({ config: appRouter._def._config, error, type: "unknown", path: undefined, input: undefined, ctx: undefined });
}
