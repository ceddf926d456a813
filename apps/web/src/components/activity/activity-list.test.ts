import { describe, expect, it } from "vitest";
import type { ActivityEvent } from "@onair/api";
import { KEEP, mergeActivity } from "./activity-list";

const follow = (id: string): ActivityEvent => ({ type: "follow", id, username: `u${id}`, at: new Date(0) });

describe("mergeActivity: a frame's burst into the studio's feed", () => {
  it("puts a burst (oldest first) on top, newest first, each id once, at most KEEP", () => {
    const current = [follow("2"), follow("1")];
    const burst = [follow("2"), follow("3"), follow("4"), follow("3")];
    expect(mergeActivity(current, burst).map((e) => e.id)).toEqual(["4", "3", "2", "1"]);
    const flood = Array.from({ length: 500 }, (_, i) => follow(String(i + 10)));
    const merged = mergeActivity(current, flood);
    expect(merged).toHaveLength(KEEP);
    expect(merged[0]!.id).toBe("509");
  });

  it("returns the same list when nothing is new (no re-render)", () => {
    const current = [follow("1")];
    expect(mergeActivity(current, [follow("1")])).toBe(current);
  });
});
