import { notify, notifyAll, type Database, type DatabaseHandle } from "@onair/db";
import { Fanout } from "../shared/events";

/** Invitations on stage and their withdrawal, to the invited user (`stage.onInvite`). */
export const STAGE_CHANNEL = "onair_stage";

export type StageEvent =
  /** `channel`'s creator asks the user on camera into the current broadcast. */
  | { type: "invited"; channel: string; invitedBy?: string; at: Date }
  /** That invitation is no longer open: withdrawn, declined, accepted elsewhere, or the broadcast ended. */
  | { type: "withdrawn"; channel: string }
  /** The user, a guest on `channel`'s stage, is off it, and why (the page says so). */
  | { type: "removed"; channel: string; why: OffStageReason };

/** Why a guest is off a stage: the creator took them off, they were restricted in the channel, or the broadcast ended. */
export type OffStageReason = "creator" | "restricted" | "ended";

/** What the user's pages hear when their place on a stage ends: a guest on it is `removed`, an invitation `withdrawn`. */
export const placeEnded = (channel: string, wasOnStage: boolean, why: OffStageReason): StageEvent =>
  wasOnStage ? { type: "removed", channel, why } : { type: "withdrawn", channel };

type Wire = { userId: string; event: StageEvent };

export function createStageEvents(listen: DatabaseHandle["listen"]) {
  return new Fanout<StageEvent>(listen, STAGE_CHANNEL, (payload) => {
    const { userId, event } = JSON.parse(payload) as Wire;
    return { key: userId, value: event.type === "invited" ? { ...event, at: new Date(event.at) } : event };
  });
}
export type StageEvents = ReturnType<typeof createStageEvents>;

/** Tells `userId`'s open pages on every instance (on commit inside a transaction). */
export function publishStageEvent(db: Database, userId: string, event: StageEvent): Promise<void> {
  return notify(db, STAGE_CHANNEL, JSON.stringify({ userId, event } satisfies Wire));
}

/** `publishStageEvent` for several users at once, in one statement. */
export function publishStageEvents(db: Database, events: Wire[]): Promise<void> {
  return notifyAll(
    db,
    STAGE_CHANNEL,
    events.map((wire) => JSON.stringify(wire)),
  );
}
