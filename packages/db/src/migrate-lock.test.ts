import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { migrationsFolder, openDatabase } from "./client";
import { testDatabaseUrl } from "./testing";

if (!testDatabaseUrl) console.log("migrate-lock.test.ts skipped on PGlite: one process owns a PGlite database (set TEST_DATABASE_URL)");

describe.skipIf(!testDatabaseUrl)("migrations under an advisory lock (PostgreSQL)", () => {
  it("six instances starting together on a fresh database all migrate, each migration applied once", async () => {
    const name = `onair_test_${randomBytes(6).toString("hex")}`;
    const admin = postgres(testDatabaseUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(testDatabaseUrl!);
    url.pathname = `/${name}`;
    const handles = Array.from({ length: 6 }, () => openDatabase({ url: url.toString(), max: 2 }));
    try {
      const results = await Promise.allSettled(handles.map((handle) => handle.migrate()));
      expect(results.filter((r) => r.status === "rejected")).toEqual([]);
      const journal = JSON.parse(readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
      const check = postgres(url.toString(), { max: 1, onnotice: () => {} });
      const applied = await check`select count(*)::int as n from drizzle.__drizzle_migrations`;
      await check.end();
      expect(applied[0]!.n).toBe(journal.entries.length);
    } finally {
      await Promise.all(handles.map((handle) => handle.close()));
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
