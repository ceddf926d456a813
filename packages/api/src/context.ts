import { readSession, type Auth, type AuthSession } from "@onair/auth";
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
  return {
    headers,
    db,
    auth,
    services,
    /** Cached briefly per credential, dropped on sign-out (services/shared/session-cache.ts). */
    getSession: sessionOf(headers, db, auth, services),
  };
}

/** One session read per request, on first use. */
function sessionOf(headers: Headers, db: Database, auth: Auth, services: Services): () => Promise<AuthSession | null> {
  let session: Promise<AuthSession | null> | undefined;
  // readSession: Better Auth's answer, in one query when the session needs nothing more (@onair/auth).
  return () => (session ??= services.cache.sessions.get(headers, () => readSession(auth, db, headers)));
}

export type Context = ReturnType<typeof createTRPCContext>;
