import { useEffect, useRef } from "react";
import type { PublicStream } from "@onair/api";
import { trpc } from "./trpc";

type Listener = (view: PublicStream) => void;
interface Stream {
  listeners: Set<Listener>;
  last: PublicStream | null;
  stop: () => void;
}

/**
 * One `stream.onStatus` subscription per channel for the whole page, shared by every component that
 * wants it. Browsers allow only six HTTP/1.1 connections per host and each SSE stream holds one for
 * good: the channel page, its chat box and the Go Live page must not each open their own.
 */
const streams = new Map<string, Stream>();

/** Calls `onData` with the channel's public view now (if known) and on every change, while mounted. */
export function useStreamStatus(username: string, onData: Listener, enabled = true) {
  const client = trpc.useUtils().client;
  const handler = useRef(onData);
  useEffect(() => {
    handler.current = onData;
  });
  useEffect(() => {
    if (!enabled || !username) return;
    const key = username.toLowerCase();
    let stream = streams.get(key);
    if (!stream) {
      const listeners = new Set<Listener>();
      const created: Stream = { listeners, last: null, stop: () => {} };
      const open = () =>
        client.stream.onStatus.subscribe(
          { username },
          {
            onData: (view) => {
              created.last = view;
              for (const listener of listeners) listener(view);
            },
            // The server ended the stream (it is shutting down): subscribe again (another instance answers).
            onComplete: () => {
              if (streams.get(key) === created) subscription = open();
            },
          },
        );
      let subscription = open();
      created.stop = () => subscription.unsubscribe();
      streams.set(key, created);
      stream = created;
    }
    const listener: Listener = (view) => handler.current(view);
    stream.listeners.add(listener);
    if (stream.last) listener(stream.last);
    const joined = stream;
    return () => {
      joined.listeners.delete(listener);
      if (joined.listeners.size === 0) {
        joined.stop();
        streams.delete(key);
      }
    };
  }, [client, username, enabled]);
}
