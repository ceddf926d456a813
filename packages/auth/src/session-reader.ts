import { createHmac, timingSafeEqual } from "node:crypto";
import { eq, getTableColumns, sql } from "drizzle-orm";
import { schema, type Database } from "@onair/db";
import type { Auth, AuthSession } from "./create-auth";

/**
 * `auth.api.getSession({ headers })` for the common case, in one indexed query and without Better
 * Auth's endpoint machinery (about 2 ms of CPU per lookup, most of a signed-in viewer's first join):
 * a bearer token, or a session cookie whose signature checks out, naming a session that exists, has not
 * expired and is not due for its refresh. Everything else — refresh due, expired (Better Auth deletes
 * it), a bad or unusual signature, "don't remember me", cookie caches or secondary storage configured —
 * goes to Better Auth itself, so what a caller gets is always what Better Auth would answer.
 * `session-reader.test.ts` compares the two on real sessions.
 */

type Settings = { cookieName: string; dontRemember: string; expiresInMs: number; updateAgeMs: number; disabled: boolean; secret: string };
type Lookup = (token: string) => Promise<AuthSession | null>;

const readers = new WeakMap<Auth, Promise<{ settings: Settings; lookup: Lookup }>>();

async function readerFor(auth: Auth, db: Database) {
  const context = await auth.$context;
  const options = context.options as {
    secondaryStorage?: unknown;
    session?: { cookieCache?: { enabled?: boolean }; deferSessionRefresh?: boolean; disableSessionRefresh?: boolean };
  };
  const settings: Settings = {
    cookieName: context.authCookies.sessionToken.name,
    dontRemember: context.authCookies.dontRememberToken.name,
    expiresInMs: context.sessionConfig.expiresIn * 1000,
    updateAgeMs: context.sessionConfig.updateAge * 1000,
    disabled: Boolean(
      options.secondaryStorage ||
      options.session?.cookieCache?.enabled ||
      options.session?.deferSessionRefresh ||
      options.session?.disableSessionRefresh,
    ),
    secret: context.secret,
  };
  // The user as Better Auth returns it: `adminRevoked` is the operator's marker, not one of its fields.
  const { adminRevoked: _operatorOnly, ...userColumns } = getTableColumns(schema.user);
  const query = db
    .select({ session: getTableColumns(schema.session), user: userColumns })
    .from(schema.session)
    .innerJoin(schema.user, eq(schema.user.id, schema.session.userId))
    .where(eq(schema.session.token, sql.placeholder("token")))
    .prepare("session_by_token");
  const lookup: Lookup = async (token) => {
    const [row] = await query.execute({ token });
    return row ?? null;
  };
  return { settings, lookup };
}

/** Better Auth's cookie signature: HMAC-SHA256 of the value, standard base64 (44 characters). */
function signed(value: string, signature: string, secret: string): boolean {
  if (signature.length !== 44 || !signature.endsWith("=")) return false;
  const expected = Buffer.from(createHmac("sha256", secret).update(value).digest("base64"));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The session token Better Auth would read from these headers; undefined when only it can tell. */
function tokenOf(headers: Headers, settings: Settings): string | null | undefined {
  const authorization = headers.get("authorization");
  const cookie = headers.get("cookie") ?? "";
  if (cookie.includes(settings.dontRemember)) return undefined;
  if (authorization && authorization.slice(0, 7).toLowerCase() === "bearer ") {
    const token = authorization.slice(7).trim();
    // The bearer plugin signs a plain token itself: it is the session token.
    if (token && !token.includes(".") && !token.includes("%")) return token;
    if (token) return undefined;
  }
  const start = cookie.indexOf(`${settings.cookieName}=`);
  if (start < 0) return authorization ? undefined : null;
  if (start > 0 && !/[;\s]/.test(cookie[start - 1]!)) return undefined;
  const end = cookie.indexOf(";", start);
  let value: string;
  try {
    value = decodeURIComponent(cookie.slice(start + settings.cookieName.length + 1, end < 0 ? undefined : end).trim());
  } catch {
    return undefined;
  }
  const dot = value.lastIndexOf(".");
  return dot > 0 && signed(value.slice(0, dot), value.slice(dot + 1), settings.secret) ? value.slice(0, dot) : undefined;
}

/** The session for these request headers, exactly as `auth.api.getSession({ headers })` returns it. */
export async function readSession(auth: Auth, db: Database, headers: Headers): Promise<AuthSession | null> {
  let reader = readers.get(auth);
  if (!reader) readers.set(auth, (reader = readerFor(auth, db)));
  const { settings, lookup } = await reader;
  const token = settings.disabled ? undefined : tokenOf(headers, settings);
  if (token === null) return null;
  if (token !== undefined) {
    const found = await lookup(token);
    if (!found) return null;
    const expiresAt = found.session.expiresAt.getTime();
    const dueForRefresh = expiresAt - settings.expiresInMs + settings.updateAgeMs <= Date.now();
    if (expiresAt > Date.now() && !dueForRefresh) return found;
  }
  return auth.api.getSession({ headers });
}
