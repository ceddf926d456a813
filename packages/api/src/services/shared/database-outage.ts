/**
 * Whether an error means the database is out of reach or going away (an outage), not a bad query:
 * postgres.js connection errors, socket errors, and SQLSTATE class 08 (connection exception) or
 * 57P01–57P03 (admin/crash shutdown, cannot connect now). Drizzle and tRPC wrap errors: the `cause`
 * chain is followed.
 */
const CONNECTION_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
]);

export const DATABASE_OUTAGE_MESSAGE = "The database is not answering right now: try again in a moment";

export function isDatabaseOutage(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 8; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (CONNECTION_CODES.has(code) || /^08...$|^57P0[123]$/.test(code))) return true;
  }
  return false;
}
