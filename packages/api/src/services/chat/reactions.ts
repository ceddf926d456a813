/** The reactions a viewer may float over the player (`chat.react`). */
export const REACTIONS = ["heart", "fire", "laugh", "clap", "wow"] as const;
export type Reaction = (typeof REACTIONS)[number];

/** Reactions per user per second (`TOO_MANY_REQUESTS` past it). */
export const REACTIONS_PER_SECOND = 5;
/** Reactions to one channel are gathered this long, then announced as one event with their counts. */
export const REACTION_WINDOW_MS = 250;

/** What `chat.onMessage` carries for reactions: how many of each arrived in the last window (on one instance). */
export interface ReactionsEvent {
  type: "reactions";
  counts: Partial<Record<Reaction, number>>;
}

type Schedule = (run: () => void, ms: number) => { cancel(): void };
const realTimer: Schedule = (run, ms) => {
  const timer = setTimeout(run, ms);
  timer.unref?.();
  return { cancel: () => clearTimeout(timer) };
};

/**
 * Counts reactions per channel and hands each channel's counts to `publish` once per window: a storm
 * of clicks is a few events with counts, never one event per click.
 */
export class ReactionTally {
  private readonly pending = new Map<string, { counts: Partial<Record<Reaction, number>>; timer: { cancel(): void } }>();

  constructor(
    private readonly publish: (streamId: string, event: ReactionsEvent) => Promise<void>,
    private readonly onError: (error: unknown) => void,
    private readonly schedule: Schedule = realTimer,
  ) {}

  add(streamId: string, reaction: Reaction): void {
    let entry = this.pending.get(streamId);
    if (!entry) {
      entry = { counts: {}, timer: this.schedule(() => this.flush(streamId), REACTION_WINDOW_MS) };
      this.pending.set(streamId, entry);
    }
    entry.counts[reaction] = (entry.counts[reaction] ?? 0) + 1;
  }

  private flush(streamId: string): void {
    const entry = this.pending.get(streamId);
    if (!entry) return;
    this.pending.delete(streamId);
    this.publish(streamId, { type: "reactions", counts: entry.counts }).catch(this.onError);
  }

  /** Drops what is pending (shutting down). */
  stop(): void {
    for (const entry of this.pending.values()) entry.timer.cancel();
    this.pending.clear();
  }
}
