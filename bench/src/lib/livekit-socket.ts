import type { Page } from "playwright-core";

/**
 * Intercepts the page's LiveKit WebSocket (`/rtc`, closed at once) and returns a wait for it: resolves
 * with the moment it opened (`performance.now()` of this process), or fails after `timeoutMs`. Call it
 * before the page loads: a live channel's early join may open the socket before the app has started.
 */
export async function watchLiveKitSocket(page: Page, timeoutMs: number): Promise<() => Promise<number>> {
  let open: (at: number) => void = () => {};
  const opened = new Promise<number>((resolve) => (open = resolve));
  await page.routeWebSocket(/\/rtc/, (ws) => {
    open(performance.now());
    void ws.close();
  });
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${page.url()} opened no LiveKit WebSocket in ${timeoutMs / 1000} s`)), timeoutMs);
    });
    try {
      return await Promise.race([opened, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
}
