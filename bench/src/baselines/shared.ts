import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import { AccessToken } from "livekit-server-sdk";

/** What the parent tells a baseline server before it listens. */
export interface BaselineConfig {
  /** The body a GET gets: the same bytes OnAir answers `stream.byUsername` with. */
  channelBody: string;
  apiKey: string;
  apiSecret: string;
  wsUrl: string;
  roomName: string;
}

/** The viewer token OnAir mints, minted the usual way (`AccessToken#toJwt`). */
export async function mintViewerToken(config: BaselineConfig) {
  const identity = `guest-${randomBytes(9).toString("base64url")}`;
  const token = new AccessToken(config.apiKey, config.apiSecret, { identity, ttl: 15 * 60 });
  token.addGrant({ roomJoin: true, room: config.roomName, canSubscribe: true, hidden: true, canPublish: false, canPublishData: false });
  return { token: await token.toJwt(), wsUrl: config.wsUrl, roomName: config.roomName, identity, canChat: false };
}

/** Waits for the config, starts the server, reports its port. */
export function serveBaseline(start: (config: BaselineConfig) => Server) {
  process.once("message", (config: BaselineConfig) => {
    const server = start(config);
    server.keepAliveTimeout = 30_000;
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      process.send?.({ port: typeof address === "object" && address ? address.port : 0 });
    });
    process.once("SIGTERM", () => server.close(() => process.exit(0)));
  });
}
