import type { DatabaseHandle } from "@onair/db";

/** Errors that mean "the database is not up (yet)", worth waiting for; anything else is a real failure. */
const NOT_UP = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "57P03",
]);

function codeOf(error: unknown): string | undefined {
  for (let current = error as { code?: unknown; cause?: unknown } | undefined; current; current = current.cause as typeof current) {
    if (typeof current.code === "string") return current.code;
  }
  return undefined;
}

export interface WaitOptions {
  /** Give up after this long (ms). */
  timeoutMs: number;
  /** Pause between attempts (ms). */
  retryMs: number;
  /** One line per wait, without a stack trace. */
  say(message: string): void;
}

/**
 * Applies the migrations, waiting (with a friendly line, no stack trace) while the database is not
 * up yet; throws an Error with a plain message when it gives up or the failure is not about reaching it.
 */
export async function migrateWhenReady(handle: Pick<DatabaseHandle, "migrate">, where: string, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await handle.migrate();
      return;
    } catch (error) {
      const code = codeOf(error);
      if (!code || !NOT_UP.has(code)) throw error;
      if (Date.now() + options.retryMs > deadline) {
        throw new Error(`the database at ${where} is not answering (${code}) after ${Math.round(options.timeoutMs / 1000)} s`);
      }
      if (attempt === 1 || attempt % 10 === 0)
        options.say(`Waiting for the database at ${where} (${code}); retrying every ${options.retryMs / 1000} s…`);
      await new Promise((resolve) => setTimeout(resolve, options.retryMs));
    }
  }
}

/** `host:port/database` of a postgres:// URL, without the user or password. */
export function describeUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}
