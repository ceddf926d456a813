import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { DataDirLockedError, lockDataDir } from "./lock";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const dirs: string[] = [];
const children: ChildProcess[] = [];

function tempDir() {
  const dir = mkdtempSync(path.join(tmpdir(), "onair-lock-"));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A separate Node process that runs `lockDataDir(dir)` and reports the outcome on stdout. */
function lockInChild(dir: string, hold: boolean, startAt = 0) {
  const script = `
    import { lockDataDir } from "./src/lock.ts";
    while (Date.now() < ${startAt});
    try {
      lockDataDir(${JSON.stringify(dir)});
      console.log("LOCKED");
      if (${hold}) setInterval(() => {}, 1000); else process.exit(0);
    } catch (error) {
      console.log("REFUSED " + error.message);
      process.exit(3);
    }`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: packageDir,
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  let out = "";
  child.stdout.setEncoding("utf8");
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk: string) => {
      out += chunk;
      if (out.includes("\n")) resolve(out.trim());
    });
    child.on("exit", (code) => (out.includes("\n") ? resolve(out.trim()) : reject(new Error(`child exited ${code}: ${out}`))));
  });
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on("exit", (code) => resolve(code));
  });
  return { child, firstLine, exited };
}

/** The pid of a process that has certainly exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", "0"], { stdio: "ignore" });
  await new Promise((resolve) => child.on("exit", resolve));
  return child.pid!;
}

describe("lockDataDir", () => {
  it("creates the directory and a lock file naming this process; release removes it once", () => {
    const dir = path.join(tempDir(), "nested", "data");
    const release = lockDataDir(dir);
    const file = path.join(dir, "onair.lock");
    expect(readFileSync(file, "utf8")).toBe(String(process.pid));
    release();
    expect(existsSync(file)).toBe(false);
    writeFileSync(file, "someone else's");
    release(); // a second release must not remove a lock it no longer owns
    expect(existsSync(file)).toBe(true);
  });

  it("refuses a second process while the first holds the lock, with a clear message", async () => {
    const dir = tempDir();
    const release = lockDataDir(dir);
    try {
      const second = lockInChild(dir, false);
      const line = await second.firstLine;
      expect(line).toMatch(/^REFUSED /);
      expect(line).toContain(`DATA_DIR ${dir}`);
      expect(line).toContain(`pid ${process.pid}`);
      expect(await second.exited).toBe(3);
      expect(readFileSync(path.join(dir, "onair.lock"), "utf8")).toBe(String(process.pid));
    } finally {
      release();
    }
  });

  it("refuses this process while another live process holds the lock", async () => {
    const dir = tempDir();
    const holder = lockInChild(dir, true);
    expect(await holder.firstLine).toBe("LOCKED");
    let error: unknown;
    try {
      lockDataDir(dir);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect((error as DataDirLockedError).pid).toBe(holder.child.pid);
    expect((error as Error).message).toMatch(/DATA_DIR .* is in use by another OnAir server/);
    expect((error as Error).message).toMatch(/another DATA_DIR or a DATABASE_URL/);
    expect(readFileSync(path.join(dir, "onair.lock"), "utf8")).toBe(String(holder.child.pid));

    // The holder dies without releasing (SIGKILL): its lock is stale and taken over at once.
    holder.child.kill("SIGKILL");
    await holder.exited;
    const release = lockDataDir(dir);
    expect(readFileSync(path.join(dir, "onair.lock"), "utf8")).toBe(String(process.pid));
    release();
  });

  it("refuses when the lock file names a live process (the parent of this one)", () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "onair.lock"), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(`pid ${process.ppid}`);
    expect(readFileSync(path.join(dir, "onair.lock"), "utf8")).toBe(String(process.ppid));
  });

  it("takes over a lock left by a process that is gone", async () => {
    const dir = tempDir();
    const pid = await deadPid();
    writeFileSync(path.join(dir, "onair.lock"), String(pid));
    const release = lockDataDir(dir);
    expect(readFileSync(path.join(dir, "onair.lock"), "utf8")).toBe(String(process.pid));
    release();
  });

  it("takes over an unreadable (garbage or empty) lock file", () => {
    for (const content of ["", "not-a-pid"]) {
      const dir = tempDir();
      writeFileSync(path.join(dir, "onair.lock"), content);
      const release = lockDataDir(dir);
      expect(readFileSync(path.join(dir, "onair.lock"), "utf8")).toBe(String(process.pid));
      release();
    }
  });

  it("lets exactly one of several processes racing for a stale lock win", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "onair.lock"), String(await deadPid()));
    // All start at the same instant, after their (slow) tsx start-up.
    const startAt = Date.now() + 2000;
    const racers = Array.from({ length: 6 }, () => lockInChild(dir, true, startAt));
    const lines = await Promise.all(racers.map((racer) => racer.firstLine));
    const winners = racers.filter((_, i) => lines[i] === "LOCKED");
    expect(winners, lines.join("\n")).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith("REFUSED"))).toHaveLength(5);
    expect(readFileSync(path.join(dir, "onair.lock"), "utf8")).toBe(String(winners[0]!.child.pid));
    expect(readdirSync(dir).sort()).toEqual(["onair.lock"]); // no draft or takeover file left behind
  });
});
