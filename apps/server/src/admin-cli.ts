import { pathToFileURL } from "node:url";
import { setRole } from "@onair/auth";
import { DataDirLockedError, lockDataDir, openDatabase, type Database, type DatabaseHandle } from "@onair/db";
import { EnvError, loadEnv, type Env } from "./env";
import { openBus } from "./open-bus";

/**
 * `npm run admin -- grant|revoke <email or username>`: the operator's way to make (or unmake) an admin,
 * on the database the server uses (same environment as `npm start`). With PostgreSQL it works while
 * servers run, and they see the new role on the next call (NOTIFY drops their cached sessions); an
 * embedded database (PGlite) belongs to one process, so it refuses while a server holds DATA_DIR.
 */

const USAGE = "usage: npm run admin -- grant <email or username>\n       npm run admin -- revoke <email or username>";

export interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

export type AdminCommand = { role: "admin" | "user"; login: string };

/** `grant <login>` / `revoke <login>`, or null (then the usage is printed). */
export function parseAdminArgs(args: string[]): AdminCommand | null {
  const [command, login, ...extra] = args;
  if ((command !== "grant" && command !== "revoke") || !login?.trim() || extra.length > 0) return null;
  return { role: command === "grant" ? "admin" : "user", login };
}

/**
 * Runs one command against an open database; returns the exit code. `listed` is ADMIN_EMAILS: a revoke
 * holds whatever it says (until `grant`), and the operator is warned while the address is still listed.
 */
export async function runAdminCommand(db: Database, { role, login }: AdminCommand, io: Output, listed: string[] = []): Promise<number> {
  const result = await setRole(db, login, role);
  if (!result) {
    io.err(`No account with the email or username "${login}".`);
    return 1;
  }
  const who = `${result.username ?? result.email} (${result.email})`;
  if (role === "admin") io.out(result.changed ? `${who} is now an admin.` : `${who} is already an admin; nothing changed.`);
  else io.out(result.changed ? `${who} is no longer an admin.` : `${who} is not an admin; it stays a user until \`grant\`.`);
  if (role === "user" && listed.some((email) => email.toLowerCase() === result.email.toLowerCase())) {
    io.err(
      `warning: ${result.email} is still listed in ADMIN_EMAILS. The revoke holds (the list will not make this account ` +
        `admin again, not even after a password reset, until \`npm run admin -- grant\`); remove the address from ADMIN_EMAILS.`,
    );
  }
  return 0;
}

/** The server's database for this environment, or a sentence saying why it cannot be opened. */
export function openServerDatabase(env: Env): { handle: DatabaseHandle; release: () => void } | string {
  if (env.DATABASE_URL) return { handle: openDatabase({ url: env.DATABASE_URL, max: 1 }), release: () => {} };
  try {
    const release = lockDataDir(env.DATA_DIR);
    return { handle: openDatabase({ dataDir: `${env.DATA_DIR}/pg` }), release };
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    return (
      `a running OnAir server (pid ${error.pid}) holds DATA_DIR ${env.DATA_DIR}: the embedded database belongs to ` +
      `one process. Stop the server, run this again, then start it; or use PostgreSQL (DATABASE_URL), where this works while servers run.`
    );
  }
}

async function main(): Promise<number> {
  const io: Output = { out: (line) => console.log(line), err: (line) => console.error(line) };
  let env: Env;
  try {
    env = loadEnv();
  } catch (error) {
    io.err(error instanceof EnvError ? error.message : String(error));
    return 1;
  }
  const command = parseAdminArgs(process.argv.slice(2));
  if (!command) {
    io.err(USAGE);
    return 2;
  }
  const opened = openServerDatabase(env);
  if (typeof opened === "string") {
    io.err(`Cannot change roles now: ${opened}`);
    return 1;
  }
  // With BUS_URL the running servers hear account changes on Redis: the change is announced there.
  const quiet = { info() {}, warn() {} };
  const bus = await openBus(env, opened.handle, () => quiet, 10_000).catch(async (error: unknown) => {
    await opened.handle.close();
    opened.release();
    throw error;
  });
  try {
    await opened.handle.migrate();
    return await runAdminCommand(opened.handle.db, command, io, env.ADMIN_EMAILS);
  } finally {
    await bus.close();
    await opened.handle.close();
    opened.release();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`admin: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
