import { RoomServiceClient } from "livekit-server-sdk";
import type { LiveKitConfig } from "./config";

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** LiveKit's room API as OnAir uses it. Failures are logged and reported as `false`/`null`, never thrown. */
export interface LiveKitRooms {
  /** Disconnects everyone in the room. */
  deleteRoom(roomName: string): Promise<boolean>;
  updateRoomMetadata(roomName: string, metadata: string): Promise<boolean>;
  /** Who is in the room and whether they publish any track, or null when LiveKit could not be asked. */
  listParticipants(roomName: string): Promise<RoomParticipant[] | null>;
  /**
   * Disconnects one participant now (a blocked viewer, an ingress turned away). With `revokeTokens`,
   * LiveKit also refuses that identity's tokens issued until now (a guest taken off the stage).
   */
  removeParticipant(roomName: string, identity: string, options?: { revokeTokens?: boolean }): Promise<boolean>;
  /** Sets a connected participant's permissions (all of them at once, as LiveKit applies them). */
  updateParticipant(roomName: string, identity: string, permission: ParticipantGrants): Promise<boolean>;
}

/** The permissions OnAir sets on a connected participant (LiveKit's ParticipantPermission). */
export interface ParticipantGrants {
  canPublish: boolean;
  canSubscribe: boolean;
  canPublishData: boolean;
}

export interface RoomParticipant {
  identity: string;
  /** LiveKit lists at least one track published by this participant. */
  publishing: boolean;
}

/** A LiveKit room API call that has not answered by then counts as failed (logged, false/null). */
export const ROOM_API_TIMEOUT_MS = 2000;

export function createLiveKitRooms(config: LiveKitConfig, log: Logger): LiveKitRooms {
  const client = new RoomServiceClient(config.apiUrl, config.apiKey, config.apiSecret, {
    requestTimeout: ROOM_API_TIMEOUT_MS / 1000,
    failover: false,
  });

  async function attempt<T>(action: string, roomName: string, run: () => Promise<T>): Promise<T | null> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ROOM_API_TIMEOUT_MS} ms`)), ROOM_API_TIMEOUT_MS);
    });
    try {
      // Bounded here too, whatever the SDK does with its own timeout (a black-holed API must not hang us).
      return await Promise.race([run(), late]);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      log.warn({ action, roomName, apiUrl: config.apiUrl, reason }, "LiveKit API call failed");
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async deleteRoom(roomName) {
      return (await attempt("deleteRoom", roomName, () => client.deleteRoom(roomName).then(() => true))) ?? false;
    },
    async updateRoomMetadata(roomName, metadata) {
      const room = await attempt("updateRoomMetadata", roomName, () => client.updateRoomMetadata(roomName, metadata));
      return room !== null;
    },
    async listParticipants(roomName) {
      const participants = await attempt("listParticipants", roomName, () => client.listParticipants(roomName));
      return participants?.map(({ identity, tracks }) => ({ identity, publishing: tracks.length > 0 })) ?? null;
    },
    async removeParticipant(roomName, identity, options) {
      // Tokens whose nbf is before this second are refused: every token issued until now.
      const revokeTokenTs = options?.revokeTokens ? BigInt(Math.floor(Date.now() / 1000) + 1) : undefined;
      const removed = await attempt("removeParticipant", roomName, () =>
        client.removeParticipant(roomName, identity, { revokeTokenTs }).then(() => true),
      );
      return removed ?? false;
    },
    async updateParticipant(roomName, identity, permission) {
      const updated = await attempt("updateParticipant", roomName, () => client.updateParticipant(roomName, identity, { permission }));
      return updated !== null;
    },
  };
}
