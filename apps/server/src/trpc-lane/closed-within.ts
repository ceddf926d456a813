import type { ServerResponse } from "node:http";

/** On close, streams have this long to end with tRPC's `return` frame before they are cut. */
export const STREAM_END_GRACE_MS = 1000;

/** Resolves once every response has closed, or after `ms`. */
export function closedWithin(responses: ServerResponse[], ms: number): Promise<void> {
  const open = responses.filter((response) => !response.writableFinished && !response.destroyed);
  if (open.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    let left = open.length;
    const timer = setTimeout(resolve, ms);
    const done = () => {
      if (--left > 0) return;
      clearTimeout(timer);
      resolve();
    };
    for (const response of open) response.once("close", done);
  });
}
