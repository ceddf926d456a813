import { useEffect, useRef } from "react";
import type { ChatEvent } from "@onair/api";
import { trpc } from "../../lib/trpc";

type Listener = (event: ChatEvent) => void;
type Client = ReturnType<typeof trpc.useUtils>["client"];

interface Channel {
  listeners: Set<Listener>;
  /** Chat feeds on this page that already stream the channel (see `shareChatFeed`). */
  feeds: number;
  stop: (() => void) | null;
  client: Client | null;
}

/**
 * One `chat.onMessage` stream per channel for everything in this folder. Browsers allow only six
 * HTTP/1.1 connections per host and every SSE subscription holds one for good, so the gift overlay
 * and the running total share a stream, and ride on the chat panel's when it calls `shareChatFeed`.
 */
const channels = new Map<string, Channel>();

function channelOf(username: string): Channel {
  const key = username.toLowerCase();
  let channel = channels.get(key);
  if (!channel) {
    channel = { listeners: new Set(), feeds: 0, stop: null, client: null };
    channels.set(key, channel);
  }
  return channel;
}

function reconcile(username: string, channel: Channel) {
  const needOwn = channel.listeners.size > 0 && channel.feeds === 0 && channel.client !== null;
  if (needOwn && !channel.stop) {
    // No lastEventId: only what happens from now on (no replay of older gifts).
    const subscription = channel.client!.chat.onMessage.subscribe(
      { username },
      {
        onData: ({ data }) => emit(channel, data),
        // The server ended the stream (shutting down): subscribe again.
        onComplete: () => {
          channel.stop = null;
          reconcile(username, channel);
        },
      },
    );
    channel.stop = () => subscription.unsubscribe();
  } else if (!needOwn && channel.stop) {
    channel.stop();
    channel.stop = null;
  }
  if (channel.listeners.size === 0 && channel.feeds === 0) channels.delete(username.toLowerCase());
}

function emit(channel: Channel, event: ChatEvent) {
  for (const listener of channel.listeners) listener(event);
}

/**
 * For a chat feed that already streams `username`: hands its events on, so the gift components open
 * no stream of their own. Call `share.emit(event)` for each event and `share.release()` when done.
 */
export function shareChatFeed(username: string) {
  const channel = channelOf(username);
  channel.feeds += 1;
  reconcile(username, channel);
  let released = false;
  return {
    emit: (event: ChatEvent) => emit(channel, event),
    release: () => {
      if (released) return;
      released = true;
      channel.feeds -= 1;
      reconcile(username, channel);
    },
  };
}

/** Calls `onEvent` for every new chat event of the channel while mounted. */
export function useChatEvents(username: string, onEvent: Listener) {
  const client = trpc.useUtils().client;
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });
  useEffect(() => {
    const channel = channelOf(username);
    const listener: Listener = (event) => handler.current(event);
    channel.client ??= client;
    channel.listeners.add(listener);
    reconcile(username, channel);
    return () => {
      channel.listeners.delete(listener);
      reconcile(username, channel);
    };
  }, [client, username]);
}
