import { EventEmitter, on } from "node:events";
import { notify, type Database, type DatabaseHandle } from "@onair/db";

/** One PostgreSQL channel carries every channel-page change; payload: the username that changed. */
export const STREAM_CHANNEL = "onair_stream";

/**
 * Live-status fan-out. Writers NOTIFY inside their transaction (`publishStreamChange`); each server
 * instance LISTENs once and hands the change to its own subscribers, so every instance sharing the
 * PostgreSQL server sees every change.
 */
export class StreamEvents {
  private readonly emitter = new EventEmitter();
  private unlisten: (() => Promise<void>) | undefined;

  constructor(private readonly listen: DatabaseHandle["listen"]) {
    this.emitter.setMaxListeners(0);
  }

  async start(): Promise<void> {
    this.unlisten ??= await this.listen(STREAM_CHANNEL, (username) => this.emitter.emit(username));
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = undefined;
  }

  /** Yields once per change of `username`'s channel until `signal` aborts. Listening starts at once. */
  async *changes(username: string, signal: AbortSignal | undefined): AsyncGenerator<void> {
    try {
      for await (const _ of on(this.emitter, username, { signal })) yield;
    } catch (error) {
      if ((error as Error).name !== "AbortError") throw error;
    }
  }

  listenerCount(username: string): number {
    return this.emitter.listenerCount(username);
  }
}

/** Tells every instance that `username`'s public view changed (sent on commit when inside a transaction). */
export function publishStreamChange(db: Database, username: string): Promise<void> {
  return notify(db, STREAM_CHANNEL, username);
}
