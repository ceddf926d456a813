import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { migrationsFolder, openDatabase } from "./client";

/**
 * A migrated PGlite data directory, as a tarball every test file starts from: starting PGlite from
 * it skips initdb and the migrations (seconds per file on a busy machine). Made once per set of
 * migrations and PGlite version, kept in the OS temp directory; processes making it at once each
 * write their own file and rename it into place, so a reader never sees half of one.
 */
export async function migratedPgliteTemplate(): Promise<Blob> {
  const file = join(tmpdir(), "onair-pglite", `${templateKey()}.tar`);
  if (existsSync(file)) return new Blob([await readFile(file)]);
  const handle = openDatabase({});
  try {
    await handle.migrate();
    const image = await handle.dumpDataDir!();
    await mkdir(dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.${Date.now()}`;
    await writeFile(partial, Buffer.from(await image.arrayBuffer()));
    await rename(partial, file);
    return image;
  } finally {
    await handle.close();
  }
}

/** The migrations (every file, by content) and PGlite's version: a new template when either changes. */
function templateKey(): string {
  const hash = createHash("sha256");
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  hash.update((JSON.parse(readFileSync(join(dirname(entry), "..", "package.json"), "utf8")) as { version: string }).version);
  const walk = (folder: string) => {
    for (const name of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(folder, name.name);
      if (name.isDirectory()) walk(path);
      else hash.update(name.name).update(readFileSync(path));
    }
  };
  walk(migrationsFolder);
  return hash.digest("hex").slice(0, 16);
}
