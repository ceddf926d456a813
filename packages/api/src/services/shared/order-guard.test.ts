import { describe, expect, it } from "vitest";
import { until } from "@onair/db/testing";
import { OrderGuard } from "./order-guard";

/** The Redis bus can swap two close commits from different instances: the guard puts them back in order. */
describe("OrderGuard", () => {
  const make = (waitMs = 50) => {
    const out: number[] = [];
    let gaps = 0;
    const guard = new OrderGuard<number>(
      (_key, id) => out.push(id),
      () => gaps++,
      waitMs,
    );
    return { guard, out, gaps: () => gaps };
  };

  it("passes events in order straight through, and drops one heard twice", () => {
    const { guard, out } = make();
    guard.accept("c", { id: 3, prev: null }, 3);
    guard.accept("c", { id: 5, prev: 3 }, 5);
    guard.accept("c", { id: 5, prev: 3 }, 5);
    guard.accept("c", { id: 9, prev: 5 }, 9);
    expect(out).toEqual([3, 5, 9]);
  });

  it("holds an event until its predecessor comes, then sends both in order (per key)", () => {
    const { guard, out, gaps } = make();
    guard.accept("c", { id: 1, prev: null }, 1);
    guard.accept("c", { id: 7, prev: 4 }, 7);
    guard.accept("c", { id: 9, prev: 7 }, 9);
    guard.accept("d", { id: 8, prev: null }, 8); // another channel is not held up
    expect(out).toEqual([1, 8]);
    guard.accept("c", { id: 4, prev: 1 }, 4);
    expect(out).toEqual([1, 8, 4, 7, 9]);
    expect(gaps()).toBe(0);
  });

  it("a predecessor that never comes: what waited is dropped and subscribers catch up from the tables (gap)", async () => {
    const { guard, out, gaps } = make();
    guard.accept("c", { id: 1, prev: null }, 1);
    guard.accept("c", { id: 7, prev: 4 }, 7);
    await until(() => gaps() === 1);
    expect(out).toEqual([1]);
    guard.accept("c", { id: 8, prev: 7 }, 8); // after the gap the key starts afresh
    expect(out).toEqual([1, 8]);
  });
});
