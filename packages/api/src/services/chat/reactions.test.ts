import { describe, expect, it } from "vitest";
import { REACTION_WINDOW_MS, ReactionTally, type ReactionsEvent } from "./reactions";

describe("ReactionTally: reactions gathered per channel, announced with counts", () => {
  it("one event per channel per window, however many clicks; a new window after it", async () => {
    const timers: { run: () => void; ms: number; cancelled: boolean }[] = [];
    const published: [string, ReactionsEvent][] = [];
    const tally = new ReactionTally(
      async (streamId, event) => void published.push([streamId, event]),
      (error) => {
        throw error;
      },
      (run, ms) => {
        const timer = { run, ms, cancelled: false };
        timers.push(timer);
        return { cancel: () => void (timer.cancelled = true) };
      },
    );
    for (let i = 0; i < 40; i++) tally.add("a", "heart");
    tally.add("a", "fire");
    tally.add("b", "wow");
    expect(timers.map((t) => t.ms)).toEqual([REACTION_WINDOW_MS, REACTION_WINDOW_MS]); // one per channel, not per click
    expect(published).toEqual([]);
    timers[0]!.run();
    expect(published).toEqual([["a", { type: "reactions", counts: { heart: 40, fire: 1 } }]]);
    tally.add("a", "clap");
    expect(timers).toHaveLength(3);
    timers[2]!.run();
    expect(published[1]).toEqual(["a", { type: "reactions", counts: { clap: 1 } }]);
    tally.stop();
    expect(timers[1]!.cancelled).toBe(true);
    timers[1]!.run(); // a timer that fires anyway after stop publishes nothing
    expect(published).toHaveLength(2);
  });
});
