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
    const reload = () => {
      void utils.moderation.list.invalidate({ channel });
      void utils.moderation.log.invalidate({ channel });
    };
    const subscription = utils.client.moderation.onChange.subscribe(
      { channel },
      {
        // Listening from here on: read both again, for what happened before it did.
        onStarted: () => {
          setLive(true);
          reload();
        },
        onConnectionStateChange: (state) => setLive(state.state === "pending"),
        onData: reload,
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
