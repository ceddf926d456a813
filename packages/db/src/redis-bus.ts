import { Redis } from "ioredis";
import { publishThrough, type Bus } from "./bus";
import type { Database, DatabaseHandle } from "./client";

export interface RedisBusOptions {
  /** Pause between reconnection attempts (ms). */
  retryMs?: number;
  /** Redis stopped answering, or answers again (the log says so). */
  onState?: (state: "connected" | "unreachable", reason?: string) => void;
}

export interface RedisBus extends Bus {
  /** Resolves once listening (the first connection's subscriptions are in place). */
  ready(): Promise<void>;
}

type Listener = { onPayload: (payload: string) => void; onListen: (() => void) | undefined };

/**
 * The bus on Redis pub/sub (`BUS_URL=redis://host:port`): `notify(db, …)` publishes there after the
 * commit (publishThrough), one connection subscribes for this instance. Redis keeps no history: when
 * the subscribing connection was lost (Redis restarted or unreachable), it subscribes again on
 * reconnecting and then runs every `onListen`, so listeners catch up from the tables, as after a
 * PostgreSQL LISTEN reconnect. Order: payloads from one instance arrive in the order it committed;
 * between instances, chat carries each message's predecessor so receivers restore commit order
 * (OrderGuard in @onair/api).
 */
export function openRedisBus(url: string, db: Database, options: RedisBusOptions = {}): RedisBus {
  const retryMs = options.retryMs ?? 250;
  const common = { retryStrategy: () => retryMs, connectTimeout: 3000, enableReadyCheck: true };
  // A publish Redis did not take fails at once, never goes out late: listeners catch up from the tables instead.
  const pub = new Redis(url, { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  const pubReady = new Promise<void>((resolve) => pub.once("ready", () => resolve()));
  const sub = new Redis(url, { ...common, autoResubscribe: false, maxRetriesPerRequest: null });
  const listeners = new Map<string, Set<Listener>>();
  const subscribed = new Set<string>();
  let listening = false;
  let firstReady: () => void = () => {};
  const readyOnce = new Promise<void>((resolve) => (firstReady = resolve));
  let lastError = "";

  for (const connection of [pub, sub]) connection.on("error", (error: Error) => void (lastError = error.message));
  sub.on("message", (channel: string, payload: string) => {
    for (const listener of listeners.get(channel) ?? []) listener.onPayload(payload);
  });
  sub.on("close", () => {
    subscribed.clear();
    if (listening) options.onState?.("unreachable", lastError || "connection closed");
    listening = false;
  });
  sub.on("ready", () => void subscribeAll());

  /** After (re)connecting: subscribe to every channel wanted (also those asked for meanwhile), then say so. */
  async function subscribeAll() {
    try {
      for (;;) {
        const wanted = [...listeners.keys()].filter((channel) => !subscribed.has(channel));
        if (wanted.length === 0) break;
        await sub.subscribe(...wanted);
        for (const channel of wanted) subscribed.add(channel);
      }
    } catch {
      return; // lost again: the next "ready" tries again
    }
    listening = true;
    options.onState?.("connected");
    firstReady();
    for (const set of listeners.values()) for (const listener of set) listener.onListen?.();
  }

  const undo = publishThrough(db, (channel, payload) => {
    pub.publish(channel, payload).catch((error: Error) => void (lastError = error.message));
  });

  const listen: DatabaseHandle["listen"] = async (channel, onPayload, onListen) => {
    const listener: Listener = { onPayload, onListen };
    let set = listeners.get(channel);
    if (!set) listeners.set(channel, (set = new Set()));
    set.add(listener);
    if (listening) {
      if (!subscribed.has(channel)) {
        await sub.subscribe(channel);
        subscribed.add(channel);
      }
      onListen?.();
    }
    return async () => {
      set.delete(listener);
      if (set.size > 0 || listeners.get(channel) !== set) return;
      listeners.delete(channel);
      subscribed.delete(channel);
      if (listening) await sub.unsubscribe(channel).catch(() => {});
    };
  };

  return {
    kind: "redis",
    listen,
    ready: () => Promise.all([readyOnce, pubReady]).then(() => {}),
    async close() {
      undo();
      sub.disconnect();
      // Publishes still queued go out first, for a moment at most.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([pub.quit().catch(() => {}), new Promise((resolve) => (timer = setTimeout(resolve, 1000)))]);
      clearTimeout(timer);
      pub.disconnect();
    },
  };
}
