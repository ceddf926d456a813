import type { Database } from "@onair/db";
import type { Channel } from "../live/channels";
import { takeRestrictedOffStage } from "../stage/stage";
import type { Services } from "../types";
import { restrictUser, type Moderator } from "./moderation";

/** A timeout, ban or block (`restrictUser`); a restricted guest leaves the channel's stage at once. */
export async function restrict(
  services: Pick<Services, "rooms">,
  db: Database,
  channel: Channel,
  moderator: Moderator,
  input: Parameters<typeof restrictUser>[3],
) {
  const result = await restrictUser(db, channel, moderator, input);
  await takeRestrictedOffStage({ db, rooms: services.rooms }, channel, result.userId);
  return result;
}
