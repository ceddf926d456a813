import type { Auth, AuthSession } from "@onair/auth";
import type { Database } from "@onair/db";
import type { Services } from "./services";

export interface CreateContextOptions {
  headers: Headers;
  db: Database;
  auth: Auth;
  services: Services;
}

/**
 * Everything a procedure may use. The session is looked up lazily (once) so public procedures that
 * never need it cost no database round trip.
 */
export function createTRPCContext({ headers, db, auth, services }: CreateContextOptions) {
  let session: Promise<AuthSession | null> | undefined;
  return {
    headers,
    db,
    auth,
    services,
    /** Cached briefly per credential, dropped on sign-out (services/session-cache.ts). */
    getSession: () => (session ??= services.cache.sessions.get(headers, () => auth.api.getSession({ headers }))),
  };
}

export type Context = ReturnType<typeof createTRPCContext>;
