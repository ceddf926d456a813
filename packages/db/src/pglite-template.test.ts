import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, user, type DatabaseHandle } from "./index";
import { migratedPgliteTemplate } from "./pglite-template";

const opened: DatabaseHandle[] = [];
const open = (options: Parameters<typeof openDatabase>[0]) => {
  const handle = openDatabase(options);
  opened.push(handle);
  return handle;
};
afterAll(() => Promise.all(opened.map((handle) => handle.close())));

async function rows(handle: DatabaseHandle, query: ReturnType<typeof sql>): Promise<unknown[]> {
  const answer: unknown = await handle.db.execute(query);
  return (answer as { rows: unknown[] }).rows;
}
/** Every column of every table, index and applied migration: what the migrations made. */
const shape = async (handle: DatabaseHandle) => ({
  columns: await rows(
    handle,
    sql`select table_name, column_name, data_type, column_default, is_nullable from information_schema.columns
        where table_schema = 'public' order by table_name, column_name`,
  ),
  indexes: await rows(handle, sql`select indexname, indexdef from pg_indexes where schemaname = 'public' order by indexname`),
  migrations: await rows(handle, sql`select hash, created_at from drizzle.__drizzle_migrations order by id`),
  gifts: await rows(handle, sql`select * from gift order by id`),
});

describe("the migrated PGlite template every test database starts from", () => {
  it("holds exactly what migrating an empty database makes, and each database from it is its own", async () => {
    const fresh = open({});
    await fresh.migrate();
    const template = await migratedPgliteTemplate();
    const [a, b] = [open({ loadDataDir: template }), open({ loadDataDir: template })];
    const expected = await shape(fresh);
    expect(expected.migrations.length).toBeGreaterThan(10);
    expect(await shape(a)).toEqual(expected);

    await a.db.insert(user).values({ id: "template-test", name: "T", email: "t@example.com", username: "template_test" });
    expect(await rows(a, sql`select id from "user"`)).toHaveLength(1);
    expect(await rows(b, sql`select id from "user"`)).toHaveLength(0);
    // A second call (another test file) reads the same template.
    expect(await shape(open({ loadDataDir: await migratedPgliteTemplate() }))).toEqual(expected);
  });
});
