/** How every browser test (and the bench's time-to-connect) starts Debian's Chromium. */
export const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--use-fake-ui-for-media-stream",
  "--use-fake-device-for-media-stream",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  // The server listens on 127.0.0.1; never let "localhost" try ::1 first.
  "--host-resolver-rules=MAP localhost 127.0.0.1",
];
