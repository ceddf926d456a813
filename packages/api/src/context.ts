import type { Auth, AuthSession } from "@onair/auth";
import type { Database } from "@onair/db";

export interface CreateContextOptions {
  headers: Headers;
  db: Database;
  auth: Auth;
}

/**
 * Everything a procedure may use. The session is looked up lazily (once) so public procedures that
 * never need it cost no database round trip.
 */
export function createTRPCContext({ headers, db, auth }: CreateContextOptions) {
  let session: Promise<AuthSession | null> | undefined;
  return {
    headers,
    db,
    auth,
    getSession: () => (session ??= auth.api.getSession({ headers })),
  };
}

export type Context = ReturnType<typeof createTRPCContext>;
