import type { DatabaseHandle } from "@onair/db";

/**
 * A server's bus that can be made deaf (tests): while deaf every NOTIFY is lost, as when the LISTEN
 * connection is gone; `hear()` listens again and says so, as postgres.js does after reconnecting.
 */
export function deafenable(handle: Pick<DatabaseHandle, "db" | "listen">) {
  let deaf = false;
  let channels = 0;
  let listens = 0;
  const relistened: (() => void)[] = [];
  return {
    db: handle.db,
    listen: ((channel, onPayload, onListen) => {
      channels++;
      if (onListen) relistened.push(onListen);
      const listening = () => {
        listens++;
        onListen?.();
      };
      return handle.listen(channel, (payload) => deaf || onPayload(payload), listening);
    }) satisfies DatabaseHandle["listen"],
    deafen: () => void (deaf = true),
    hear() {
      deaf = false;
      for (const onListen of relistened) onListen();
    },
    /** How often the real bus (re)started listening, all channels together: the first time, then after each reconnection. */
    listens: () => listens,
    /** How many channels this server listens on. */
    channels: () => channels,
  };
}
