import { alerts } from "./alerts";
import { bundle } from "./bundle";
import { chat } from "./chat";
import { chatBurst } from "./chat-burst";
import { connect } from "./connect";
import { directory } from "./directory";
import { gifts } from "./gifts";
import { fanout } from "./fanout";
import { golive } from "./golive";
import { popular } from "./popular";
import { procedure } from "./procedure";
import { storm } from "./storm";

export const scenarios = {
  storm: { about: "viewer-join storm (stream.byUsername + stream.token, as httpBatchLink sends them)", run: storm },
  procedure: { about: "a cheap query (gift.catalog) through the full server vs the HTTP floor", run: procedure },
  golive: { about: "stream.goLive server time, sequential calls", run: golive },
  gifts: { about: "gift.send under 50 concurrent senders (own wallets, own keys); the ledger must agree", run: gifts },
  chat: { about: "one chat message to 1,000 chat.onMessage SSE subscribers", run: chat },
  fanout: {
    about:
      "10,000 chat.onMessage subscribers on one instance at 50 messages/s (exactly once, in order, p99 ack → frame), stream.onStatus likewise, three instances on Redis",
    run: fanout,
  },
  "chat-burst": {
    about: "12 users sending at once every second over two instances: messages/s, delivery p99, losses (must be 0)",
    run: chatBurst,
  },
  popular: {
    about:
      "a popular creator's moment: gift.send (200 senders) and chat.send (distinct users) to one channel at once, heartbeat, signed-in read vs Fastify + postgres.js",
    run: popular,
  },
  alerts: {
    about: "a channel with 100,000 followers goes live: every in-app alert written (target 10 s), stream.goLive p99 meanwhile",
    run: alerts,
  },
  directory: { about: "stream.live with 100,000 channels, 5,000 live: first page and a search", run: directory },
  bundle: { about: "brotli JS per route from the Vite build, and on the wire in Chromium (home must not load LiveKit)", run: bundle },
  connect: { about: "viewer time-to-connect in Chromium: /:username to LiveKit's WebSocket", run: connect },
} satisfies Record<string, { about: string; run: () => Promise<void> }>;

export type ScenarioName = keyof typeof scenarios;
