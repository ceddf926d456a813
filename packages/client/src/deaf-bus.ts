import type { DatabaseHandle } from "@onair/db";

/**
 * A server's bus that can be made deaf (tests): while deaf every NOTIFY is lost, as when the LISTEN
 * connection is gone; `hear()` listens again and says so, as postgres.js does after reconnecting.
 */
export function deafenable(handle: Pick<DatabaseHandle, "db" | "listen">) {
  let deaf = false;
  const relistened: (() => void)[] = [];
  return {
    db: handle.db,
    listen: ((channel, onPayload, onListen) => {
      if (onListen) relistened.push(onListen);
      return handle.listen(channel, (payload) => deaf || onPayload(payload), onListen);
    }) satisfies DatabaseHandle["listen"],
    deafen: () => void (deaf = true),
    hear() {
      deaf = false;
      for (const onListen of relistened) onListen();
    },
  };
}
