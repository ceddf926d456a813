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
  /** Identities in the room, or null when LiveKit could not be asked. */
  listParticipants(roomName: string): Promise<string[] | null>;
}

export function createLiveKitRooms(config: LiveKitConfig, log: Logger): LiveKitRooms {
  const client = new RoomServiceClient(config.apiUrl, config.apiKey, config.apiSecret, {
    requestTimeout: 3,
    failover: false,
  });

  async function attempt<T>(action: string, roomName: string, run: () => Promise<T>): Promise<T | null> {
    try {
      return await run();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      log.warn({ action, roomName, apiUrl: config.apiUrl, reason }, "LiveKit API call failed");
      return null;
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
      return participants?.map((participant) => participant.identity) ?? null;
    },
  };
}
