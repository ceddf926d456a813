import { useEffect, useState } from "react";
import { trpc } from "../../lib/trpc";

/**
 * Keeps the channel's restriction list and moderation log current on this screen: each entry
 * `moderation.onChange` brings (someone else's action too) reloads both. `live`: the stream is open.
 */
export function useModerationLive(channel: string, enabled = true) {
  const utils = trpc.useUtils();
  const [live, setLive] = useState(false);
  useEffect(() => {
    if (!enabled) return;
    const subscription = utils.client.moderation.onChange.subscribe(
      { channel },
      {
        onStarted: () => setLive(true),
        onConnectionStateChange: (state) => setLive(state.state === "pending"),
        onData: () => {
          void utils.moderation.list.invalidate({ channel });
          void utils.moderation.log.invalidate({ channel });
        },
        onError: () => setLive(false),
      },
    );
    return () => {
      setLive(false);
      subscription.unsubscribe();
    };
  }, [utils, channel, enabled]);
  return live;
}
