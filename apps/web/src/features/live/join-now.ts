import { joinEarly } from "./early-join";

/**
 * A live channel page's second entry (the server adds it beside the app's, `async`: it runs as soon as
 * it and livekit-client are in, before the app's own code): joins LiveKit with the viewer token the
 * page carries, so the connection is under way while the app starts and renders. The player takes
 * the room when it mounts (early-join.ts). The page's JSON is superjson's; the token is plain JSON in it.
 */
const text = document.getElementById("onair-channel")?.textContent; // as lib/preload.ts reads it
const token = text ? (JSON.parse(text) as { json?: { token?: { wsUrl: string; token: string } } }).json?.token : undefined;
if (token) joinEarly(token);
