import { AccessToken, TrackSource } from "livekit-server-sdk";
import { TOKEN_TTL_SECONDS, type LiveKitConfig } from "./config";

export interface TokenSubject {
  identity: string;
  name?: string | undefined;
  roomName: string;
}

function accessToken(config: LiveKitConfig, subject: TokenSubject) {
  return new AccessToken(config.apiKey, config.apiSecret, {
    identity: subject.identity,
    name: subject.name,
    ttl: TOKEN_TTL_SECONDS,
  });
}

/** The creator's token: publish camera, microphone and screen share into their own broadcast's room. */
export function mintPublisherToken(config: LiveKitConfig, subject: TokenSubject): Promise<string> {
  const token = accessToken(config, subject);
  token.addGrant({
    roomJoin: true,
    room: subject.roomName,
    canPublish: true,
    canPublishSources: [
      TrackSource.CAMERA,
      TrackSource.MICROPHONE,
      TrackSource.SCREEN_SHARE,
      TrackSource.SCREEN_SHARE_AUDIO,
    ],
    canSubscribe: true,
    canPublishData: false,
  });
  return token.toJwt();
}

/** A viewer's token: subscribe only, hidden from the room's participant list. */
export function mintViewerToken(config: LiveKitConfig, subject: TokenSubject): Promise<string> {
  const token = accessToken(config, subject);
  token.addGrant({
    roomJoin: true,
    room: subject.roomName,
    canSubscribe: true,
    hidden: true,
    canPublish: false,
    canPublishData: false,
  });
  return token.toJwt();
}
