import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTRPCClient, httpLink } from "@trpc/client";
import { sql } from "drizzle-orm";
import superjson from "superjson";
import { afterAll, describe, expect, it } from "vitest";
import type { AppRouter } from "@onair/api";
import { chatMessage, creatorEarnings, giftTransaction, openDatabase, wallet, type DatabaseHandle } from "@onair/db";
import { createTestDatabase, freePort, testDatabaseUrl, until } from "@onair/db/testing";

/**
 * kill -9 in the middle of a storm of gifts and chat to one channel (sends batched per channel,
 * channel-sends.ts): the server process dies with batches in flight; a new one starts on the same
 * database and every unanswered request is retried with the same key. Every acknowledged gift and
 * message is stored exactly once, nothing is applied twice, and the money adds up.
 */
const serverDir = fileURLToPath(new URL("..", import.meta.url));
const children: ChildProcess[] = [];
const WELCOME = 100;
const SENDERS = 8;
const CHATTERS = 16;

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

async function startServer(database: Record<string, string>) {
  const port = await freePort();
  const { TEST_DATABASE_URL: _t, ...inherited } = process.env;
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: serverDir,
    env: {
      ...inherited,
      ...database,
      NODE_ENV: "test",
      PORT: String(port),
      HOST: "127.0.0.1",
      PUBLIC_URL: url,
      AUTH_RATE_LIMIT: "1000",
      LOG_LEVEL: "warn",
      SWEEP_INTERVAL_MS: "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const healthy = async () => (await fetch(`${url}/healthz`).catch(() => null))?.status === 200;
  await until(healthy, 90_000, () => output);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return { child, url, exited };
}

const clientOf = (url: string, token: string) =>
  createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${url}/trpc`, transformer: superjson, headers: { authorization: `Bearer ${token}` } })],
  });

async function signUp(url: string, username: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify({ email: `${username}@example.com`, password: "storm-pass-1", name: username, username }),
  });
  const token = response.headers.get("set-auth-token");
  if (response.status !== 200 || !token) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  return token;
}

const rows = <T>(result: unknown) => (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

describe(`kill -9 during a storm of sends to one channel (${testDatabaseUrl ? "PostgreSQL" : "PGlite"})`, () => {
  it("loses no acknowledged gift or message and applies none twice when retried with the same key", { timeout: 240_000 }, async () => {
    let pg: (DatabaseHandle & { url?: string }) | undefined;
    let dataDir: string | undefined;
    let database: Record<string, string>;
    if (testDatabaseUrl) {
      pg = await createTestDatabase();
      database = { DATABASE_URL: pg.url! };
    } else {
      dataDir = mkdtempSync(path.join(tmpdir(), "onair-crash-"));
      database = { DATA_DIR: dataDir };
    }
    try {
      let server = await startServer(database);
      // The first account is the admin (outside production, ADMIN_EMAILS unset).
      const admin = clientOf(server.url, await signUp(server.url, "crash_admin"));
      const starToken = await signUp(server.url, "crash_star");
      await clientOf(server.url, starToken).creator.requestApproval.mutate();
      await admin.admin.approveCreator.mutate({ username: "crash_star" });
      await clientOf(server.url, starToken).stream.goLive.mutate();
      const senders = await Promise.all(Array.from({ length: SENDERS }, (_, i) => signUp(server.url, `crash_fan${i}`)));
      const chatters = await Promise.all(Array.from({ length: CHATTERS }, (_, i) => signUp(server.url, `crash_chat${i}`)));

      // Every request of the storm, by key: acknowledged (with what came back) or not.
      const gifts = new Map<string, { token: string; ack?: string }>();
      const messages = new Map<string, { token: string; text: string; ack?: number }>();
      let stop = false;
      const sendGift = (url: string, token: string, key: string) =>
        clientOf(url, token).gift.send.mutate({ username: "crash_star", giftId: "wave", idempotencyKey: key });
      const sendMessage = (url: string, token: string, clientMessageId: string, text: string) =>
        clientOf(url, token).chat.send.mutate({ username: "crash_star", text, clientMessageId });
      const giftLoop = async (token: string) => {
        while (!stop) {
          const key = randomUUID();
          gifts.set(key, { token });
          try {
            gifts.get(key)!.ack = (await sendGift(server.url, token, key)).transaction.id;
          } catch {
            return; // the server died (or the money ran out)
          }
        }
      };
      const chatLoop = async (token: string, c: number) => {
        for (let n = 0; !stop; n++) {
          const id = `crash-${c}-${n}-${randomUUID().slice(0, 8)}`;
          messages.set(id, { token, text: `line ${c}.${n}` });
          try {
            messages.get(id)!.ack = (await sendMessage(server.url, token, id, `line ${c}.${n}`)).id;
          } catch {
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 550)); // the per-user rate limit
        }
      };
      const storm = [...senders.map(giftLoop), ...chatters.map(chatLoop)];
      const acked = () => [...gifts.values()].filter((g) => g.ack).length;
      await until(() => acked() >= 24, 60_000);
      server.child.kill("SIGKILL");
      stop = true;
      await server.exited;
      await Promise.all(storm);

      // Requests were in flight when it died (each sender always has one).
      expect([...gifts.values()].filter((g) => !g.ack).length).toBeGreaterThan(0);
      server = await startServer(database);
      // Retry everything unanswered, with its key; then everything answered too (a replay must change nothing).
      // Each user's requests one after the other (as a client retries), the users at once.
      const byUser = <T extends { token: string }>(entries: Map<string, T>) => {
        const groups = new Map<string, [string, T][]>();
        for (const entry of entries) groups.set(entry[1].token, [...(groups.get(entry[1].token) ?? []), entry]);
        return [...groups.values()];
      };
      await Promise.all(
        byUser(gifts).map(async (mine) => {
          for (const [key, g] of mine) {
            const result = await sendGift(server.url, g.token, key).catch((error: Error) => error);
            if (result instanceof Error) expect(result.message).toMatch(/Not enough coins/);
            else if (g.ack) expect(result.transaction.id).toBe(g.ack);
            else g.ack = result.transaction.id;
          }
        }),
      );
      await Promise.all(
        byUser(messages).map(async (mine) => {
          for (const [id, m] of mine) {
            const message = await sendMessage(server.url, m.token, id, m.text);
            if (m.ack) expect(message.id).toBe(m.ack);
            m.ack = message.id;
          }
        }),
      );
      server.child.kill("SIGTERM");
      await server.exited;

      const handle = pg ?? openDatabase({ dataDir: `${dataDir!}/pg` });
      try {
        const ledger = await handle.db.select().from(giftTransaction);
        const acknowledged = [...gifts.values()].flatMap((g) => (g.ack ? [g.ack] : []));
        expect(ledger.map((row) => row.id).sort()).toEqual(acknowledged.sort());
        expect(new Set(ledger.map((row) => row.idempotencyKey)).size).toBe(ledger.length);
        const lines = await handle.db.select().from(chatMessage);
        const giftLines = lines
          .filter((line) => line.kind === "gift")
          .map((line) => (line.meta as { transactionId: string }).transactionId);
        expect(giftLines.sort()).toEqual(acknowledged.sort());
        const said = lines.filter((line) => line.kind === "message");
        expect(said.map((line) => line.id).sort((a, b) => a - b)).toEqual([...messages.values()].map((m) => m.ack!).sort((a, b) => a - b));
        expect(said.map((line) => line.clientId).sort()).toEqual([...messages.keys()].sort());
        const [money] = rows<{ spent: number; earnings: number }>(
          await handle.db.execute(sql`
            select (select coalesce(sum(${WELCOME} - ${wallet.balance}), 0)::int from ${wallet}
                     where ${wallet.userId} in (select ${giftTransaction.senderId} from ${giftTransaction})) as spent,
                   (select coalesce(sum(${creatorEarnings.amount}), 0)::int from ${creatorEarnings}) as earnings`),
        );
        const total = ledger.reduce((sum, row) => sum + row.price, 0);
        expect({ spent: Number(money!.spent), earnings: Number(money!.earnings) }).toEqual({ spent: total, earnings: total });
      } finally {
        if (!pg) await handle.close();
      }
    } finally {
      await pg?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
