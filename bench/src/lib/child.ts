import { fork, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

export interface Child {
  process: ChildProcess;
  /** Sends a message and resolves with the child's next reply. */
  request<T>(message: unknown, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

/** Runs `bench/src/<script>` in its own Node process (TypeScript through tsx), talking over IPC. */
export function startChild(script: string, args: string[] = []): Child {
  const path = fileURLToPath(new URL(`../${script}`, import.meta.url));
  const child = fork(path, args, { execArgv: ["--import", tsx], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  function request<T>(message: unknown, timeoutMs = 120_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`${script} did not answer within ${timeoutMs} ms`)), timeoutMs);
      const onMessage = (reply: unknown) => finish(null, reply as T);
      const onExit = (code: number | null) => finish(new Error(`${script} exited (${code}) before answering`));
      function finish(error: Error | null, reply?: T) {
        clearTimeout(timer);
        child.off("message", onMessage);
        child.off("exit", onExit);
        if (error) reject(error);
        else resolve(reply as T);
      }
      child.on("message", onMessage);
      child.once("exit", onExit);
      if (message !== undefined) child.send(message as object);
    });
  }

  return {
    process: child,
    request,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A baseline server in a child process; resolves once it listens. */
export async function startBaselineServer(script: string, config: object): Promise<{ url: string; child: Child; stop(): Promise<void> }> {
  const child = startChild(script);
  const { port } = await child.request<{ port: number }>(config, 30_000);
  return { url: `http://127.0.0.1:${port}`, child, stop: () => child.stop() };
}
