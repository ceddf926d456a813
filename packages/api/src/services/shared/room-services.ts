import type { Database } from "@onair/db";
import type { LiveKitConfig, LiveKitIngress, LiveKitRooms, Logger } from "../livekit";

/**
 * What broadcasts and ingresses need of the services (types.ts): the database, LiveKit's APIs and the
 * log. Apart from `Services` so that those files, which the read cache uses, import nothing that
 * names the cache.
 */
export interface RoomServices {
  db: Database;
  livekit: LiveKitConfig;
  rooms: LiveKitRooms;
  /** LiveKit's Ingress API (streaming software); null when the feature is off (`INGRESS=off`). */
  ingress: LiveKitIngress | null;
  log: Logger;
}
