import { useRef, useState } from "react";
import type { PublicStream } from "@onair/api";
import { useStreamStatus } from "../../lib/status-stream";
import { trpc } from "../../lib/trpc";

/** The chat settings of a channel view; a change means the caller's permission may have changed. */
function settingsKey(view: PublicStream) {
  return [view.isChatEnabled, view.isChatFollowersOnly, view.isChatDelayed, view.slowModeSeconds, view.followersOnlyMinutes].join("|");
}

/**
 * What the chat box needs to know: may the caller send now (and why not), plus the channel's live
 * settings from `stream.onStatus`. Permission is asked again whenever the settings change, and every
 * 30 s while refused (a timeout or a followers-only wait runs out on its own).
 */
export function useChatRules(username: string) {
  const utils = trpc.useUtils();
  const permission = trpc.chat.permission.useQuery(
    { username },
    {
      staleTime: 0,
      refetchInterval: (query) =>
        query.state.data && !query.state.data.canSend && query.state.data.reason !== "Sign in to chat" ? 30_000 : false,
    },
  );
  const channel = trpc.stream.byUsername.useQuery({ username });
  const lastKey = useRef<string | null>(null);
  const [live, setLive] = useState<PublicStream | null>(null);

  // Not written into the byUsername cache: the channel page keeps that one (it compares old and new).
  useStreamStatus(username, (view) => {
    setLive(view);
    const key = settingsKey(view);
    if (lastKey.current !== null && lastKey.current !== key) void utils.chat.permission.invalidate({ username });
    lastKey.current = key;
  });

  return {
    permission,
    channel: live ?? channel.data,
    refetchPermission: () => void utils.chat.permission.invalidate({ username }),
  };
}

export type ChatRules = ReturnType<typeof useChatRules>;
