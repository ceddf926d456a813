import path from "node:path";
import { TEST_LIVEKIT, TEST_SECRET } from "@onair/api/testing";
import { loadEnv, type Env } from "../env";

/** The test server's public origin (PUBLIC_URL). */
export const TEST_PUBLIC_URL = "http://localhost:3000";

/** No web build (a directory that does not exist): the tests see the API's own answers, not the app's pages. */
export const noWebDist = path.join(import.meta.dirname, "no-web-dist");

/**
 * A test server's configuration: the test kit's secrets (so the kit's sessions and LiveKit tokens work
 * over HTTP), no sweeper, no web app, a generous auth limit. `extra` adds or overrides; pass the kit's
 * `livekit.apiUrl` as LIVEKIT_API_URL to reach its room-service double.
 */
export function testEnv(extra: Record<string, string> = {}): Env {
  return loadEnv({
    NODE_ENV: "test",
    PUBLIC_URL: TEST_PUBLIC_URL,
    BETTER_AUTH_SECRET: TEST_SECRET,
    LIVEKIT_API_KEY: TEST_LIVEKIT.apiKey,
    LIVEKIT_API_SECRET: TEST_LIVEKIT.apiSecret,
    SWEEP_INTERVAL_MS: "0",
    AUTH_RATE_LIMIT: "1000",
    WEB_DIST: noWebDist,
    ...extra,
  });
}
