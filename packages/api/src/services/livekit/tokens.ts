import { TOKEN_TTL_SECONDS, type LiveKitConfig } from "./config";
import { signLiveKitToken } from "./fast-jwt";

export interface TokenSubject {
  identity: string;
  name?: string | undefined;
  roomName: string;
}

// Signed with node:crypto (`fast-jwt.ts`): the same bytes `AccessToken#toJwt()` produces, much cheaper.
const mint = (config: LiveKitConfig, subject: TokenSubject, video: Parameters<typeof signLiveKitToken>[1]["video"]) =>
  signLiveKitToken(config, { identity: subject.identity, name: subject.name, ttlSeconds: TOKEN_TTL_SECONDS, video });

/** The creator's token: publish camera, microphone and screen share into their own broadcast's room. */
export function mintPublisherToken(config: LiveKitConfig, subject: TokenSubject): string {
  return mint(config, subject, {
    roomJoin: true,
    room: subject.roomName,
    canPublish: true,
    canPublishSources: ["camera", "microphone", "screen_share", "screen_share_audio"],
    canSubscribe: true,
    canPublishData: false,
  });
}

/** A viewer's token: subscribe only, hidden from the room's participant list. */
export function mintViewerToken(config: LiveKitConfig, subject: TokenSubject): string {
  return mint(config, subject, {
    roomJoin: true,
    room: subject.roomName,
    canSubscribe: true,
    hidden: true,
    canPublish: false,
    canPublishData: false,
  });
}

/**
 * A guest on stage: camera and microphone only (no screen share, never data), into the broadcast's
 * room. The identity is `stage-<userId>`: never the creator's (whose tracks alone make a channel live).
 */
export function mintStageToken(config: LiveKitConfig, subject: TokenSubject): string {
  return mint(config, subject, {
    roomJoin: true,
    room: subject.roomName,
    canPublish: true,
    canPublishSources: ["camera", "microphone"],
    canSubscribe: true,
    canPublishData: false,
  });
}
