import { TRPCError } from "@trpc/server";
import type { Database } from "@onair/db";
import { findOpenBroadcast, openBroadcast } from "./broadcasts";
import { announceStreamChange, requireOwnStream } from "./live";
import { mintPublisherToken } from "../livekit";
import { updateStream, type StreamOwner } from "./stream-settings";
import { findStreamByUserId } from "./streams";
import type { Services } from "../types";

export interface GoLiveRequest {
  title?: string | undefined;
  /** Development only: a broadcast for chat, gifts and activity with no LiveKit (never publishing). */
  withoutVideo?: boolean | undefined;
}

const obsLive = () =>
  new TRPCError({
    code: "CONFLICT",
    message: "Your streaming software (OBS) is live on this channel: stop it there, or End stream, before going live from the browser",
  });

/** Opens (or resumes) the creator's browser broadcast and mints their publisher token. */
export async function goLive(
  db: Database,
  services: Pick<Services, "db" | "rooms" | "livekit" | "devBroadcasts">,
  creator: StreamOwner,
  input: GoLiveRequest | undefined,
) {
  const withoutVideo = input?.withoutVideo === true;
  if (withoutVideo && !services.devBroadcasts) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Going live without video is for development only, never in production" });
  }
  const own = await requireOwnStream(db, creator.id);
  const username = creator.username ?? "";
  const title = input?.title !== undefined && input.title !== own.title ? input.title : undefined;
  if ((await findOpenBroadcast(db, own.id))?.mode === "ingress") throw obsLive();
  // The title first, so the broadcast's one status change carries it (viewers never see live with the old title).
  if (title) await updateStream(db, own.id, { title });
  const open = await openBroadcast(db, own.id, username, { withoutVideo });
  if (open.mode !== "browser") throw obsLive();
  if (title) await announceStreamChange(services, { streamId: own.id, username, title });
  const token = mintPublisherToken(services.livekit, {
    identity: creator.id,
    name: username,
    roomName: open.roomName,
  });
  return {
    token,
    wsUrl: services.livekit.url,
    roomName: open.roomName,
    identity: creator.id,
    broadcastId: open.id,
    startedAt: open.startedAt,
    withoutVideo: open.withoutVideo,
    stream: (await findStreamByUserId(db, creator.id))!,
  };
}
