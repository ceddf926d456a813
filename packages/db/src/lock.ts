import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `DATA_DIR ${dataDir} is in use by another OnAir server (pid ${pid}). ` +
        `Stop that process, or start this one with another DATA_DIR or a DATABASE_URL.`,
    );
    this.name = "DataDirLockedError";
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readLock(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** The live process a lock file names, or null when the lock is stale (gone, garbage, or ours). */
function liveHolder(content: string): number | null {
  const pid = Number.parseInt(content, 10);
  return Number.isInteger(pid) && pid !== process.pid && isAlive(pid) ? pid : null;
}

/** Creates `file` holding this pid, atomically: nobody ever sees it empty (which would read as stale). */
function createExclusive(file: string): boolean {
  const draft = `${file}.${process.pid}`;
  writeFileSync(draft, String(process.pid));
  try {
    linkSync(draft, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    rmSync(draft, { force: true });
  }
}

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Takes the embedded database's directory for this process: PGlite does not lock it itself, and two
 * processes writing one directory corrupt it. A lock whose process is gone is taken over at once.
 * Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "onair.lock");
  // Removing a stale lock is check-then-delete: processes racing for it take turns through this
  // guard, or one could delete the lock another has just created, and both would run.
  const guard = `${file}.takeover`;
  for (let attempt = 0; attempt < 100; attempt++) {
    if (createExclusive(file)) {
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(file, { force: true });
      };
    }
    const content = readLock(file);
    if (content === undefined) continue; // released meanwhile: try again
    const holder = liveHolder(content);
    if (holder !== null) throw new DataDirLockedError(dataDir, holder);
    if (!createExclusive(guard)) {
      const guardContent = readLock(guard);
      if (guardContent !== undefined && liveHolder(guardContent) === null) rmSync(guard, { force: true });
      else pause(2); // another process is taking over right now
      continue;
    }
    try {
      const current = readLock(file);
      if (current !== undefined && liveHolder(current) === null) rmSync(file, { force: true }); // still stale
    } finally {
      rmSync(guard, { force: true });
    }
  }
  throw new Error(`Could not lock DATA_DIR ${dataDir}`);
}
