import { randomUUID } from "node:crypto";
import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsFolder, stream, user, type DatabaseHandle } from "./index";
import { createTestDatabase } from "./testing";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});

const journal = JSON.parse(readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as {
  entries: { tag: string }[];
};

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  const answer: unknown = await handle.db.execute(query);
  const result = answer as { rows?: T[] } | T[];
  return Array.isArray(result) ? result : (result.rows ?? []);
}

const tables = () =>
  rows<{ table_name: string }>(sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`);
const appliedMigrations = () => rows<{ hash: string }>(sql`select hash from drizzle.__drizzle_migrations order by id`);

/** The PostgreSQL error underneath a failed query (drizzle wraps the driver's error). */
async function pgError(query: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await query;
  } catch (error) {
    let current = error as { code?: unknown; message: string; cause?: unknown };
    while (typeof current.code !== "string" && current.cause) current = current.cause as typeof current;
    return { code: String(current.code), message: current.message };
  }
  throw new Error("expected the query to fail");
}

async function insertUser(username: string | null, extra: { role?: string } = {}) {
  const id = randomUUID();
  await handle.db.execute(sql`
    insert into "user" (id, name, email, username, role)
    values (${id}, ${username ?? "x"}, ${`${id}@example.com`}, ${username}, ${extra.role ?? "user"})`);
  return id;
}

async function insertStream(userId: string, slowModeSeconds?: number) {
  const query =
    slowModeSeconds === undefined
      ? sql`insert into stream (user_id, title) values (${userId}, 'A title')`
      : sql`insert into stream (user_id, title, slow_mode_seconds) values (${userId}, 'A title', ${slowModeSeconds})`;
  await handle.db.execute(query);
}

describe("migrations", () => {
  it("ships an SQL file for every journal entry", () => {
    expect(journal.entries.length).toBeGreaterThan(0);
    for (const { tag } of journal.entries) expect(existsSync(path.join(migrationsFolder, `${tag}.sql`)), tag).toBe(true);
  });

  it("applied every migration once and created the app's tables", async () => {
    expect(await appliedMigrations()).toHaveLength(journal.entries.length);
    const names = (await tables()).map((t) => t.table_name);
    for (const table of ["user", "session", "account", "verification", "creator_application", "stream"]) {
      expect(names).toContain(table);
    }
  });

  it("applies twice (and three times) without error, change or data loss", async () => {
    const id = await insertUser("survivor");
    const tablesBefore = await tables();
    const migrationsBefore = await appliedMigrations();
    await handle.migrate();
    await handle.migrate();
    expect(await tables()).toEqual(tablesBefore);
    expect(await appliedMigrations()).toEqual(migrationsBefore);
    const [row] = await handle.db.select().from(user).where(eq(user.id, id));
    expect(row?.username).toBe("survivor");
  });
});

describe("constraints the database enforces itself", () => {
  it("keeps slow_mode_seconds within 2..300", async () => {
    for (const [i, seconds] of [1, 0, -5, 301, 10_000].entries()) {
      const owner = await insertUser(`slow_bad_${i}`);
      const error = await pgError(insertStream(owner, seconds));
      expect(error.code, String(seconds)).toBe("23514"); // check_violation
      expect(error.message).toContain("stream_slow_mode_seconds_range");
      expect(await handle.db.select().from(stream).where(eq(stream.userId, owner))).toEqual([]);
    }
    for (const [i, seconds] of [2, 300].entries()) {
      const owner = await insertUser(`slow_ok_${i}`);
      await insertStream(owner, seconds);
      const [row] = await handle.db.select().from(stream).where(eq(stream.userId, owner));
      expect(row?.slowModeSeconds).toBe(seconds);
    }
  });

  it("refuses an update that takes slow_mode_seconds out of range", async () => {
    const owner = await insertUser("slow_update");
    await insertStream(owner);
    const error = await pgError(handle.db.update(stream).set({ slowModeSeconds: 301 }).where(eq(stream.userId, owner)));
    expect(error.code).toBe("23514");
    const [row] = await handle.db.select().from(stream).where(eq(stream.userId, owner));
    expect(row?.slowModeSeconds).toBe(10);
  });

  it("refuses an uppercase username (usernames are stored lowercase)", async () => {
    for (const username of ["Alice", "BOB", "caRol"]) {
      const error = await pgError(insertUser(username));
      expect(error.code, username).toBe("23514");
      expect(error.message).toContain("user_username_lowercase");
    }
    const stored = await rows<{ n: number | string }>(sql`select count(*) as n from "user" where username <> lower(username)`);
    expect(Number(stored[0]?.n)).toBe(0);
  });

  it("keeps usernames and emails unique", async () => {
    await insertUser("unique_name");
    expect((await pgError(insertUser("unique_name"))).code).toBe("23505"); // unique_violation
    const id = randomUUID();
    await handle.db.execute(sql`insert into "user" (id, name, email) values (${id}, 'x', 'same@example.com')`);
    const again = handle.db.execute(sql`insert into "user" (id, name, email) values (${randomUUID()}, 'x', 'same@example.com')`);
    expect((await pgError(again)).code).toBe("23505");
  });

  it("allows one stream per user, and deleting the user deletes the stream", async () => {
    const owner = await insertUser("one_stream");
    await insertStream(owner);
    expect((await pgError(insertStream(owner))).code).toBe("23505");
    await handle.db.delete(user).where(eq(user.id, owner));
    expect(await handle.db.select().from(stream).where(eq(stream.userId, owner))).toEqual([]);
  });

  it("accepts only the known roles", async () => {
    const error = await pgError(insertUser("superuser_wannabe", { role: "superuser" }));
    expect(error.code).toBe("22P02"); // invalid_text_representation (enum)
    expect(await handle.db.select().from(user).where(eq(user.username, "superuser_wannabe"))).toEqual([]);
  });
});
