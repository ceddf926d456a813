import { describe, expect, it } from "vitest";
import { rowOffsets, windowRange } from "./use-window";

const keys = (count: number) => Array.from({ length: count }, (_, i) => i + 1);

describe("the chat window: only the rows in view (and a few more) are rendered", () => {
  it("rowOffsets: measured heights where known, the estimate elsewhere", () => {
    expect([...rowOffsets([10, 11, 12], new Map([[11, 50]]), 28)]).toEqual([0, 28, 78, 106]);
    expect([...rowOffsets([], new Map(), 28)]).toEqual([0]);
  });

  it("renders the rows overlapping the viewport plus the overscan, with the space of the others above and below", () => {
    const offsets = rowOffsets(keys(1000), new Map(), 20); // 20 px rows, 20,000 px in all
    const range = windowRange(offsets, { top: 2000, height: 400 }, 5);
    // Rows 100..119 are in view (2000–2400 px); 5 more each side.
    expect(range).toEqual({ start: 95, end: 126, before: 95 * 20, after: 20_000 - 126 * 20, total: 20_000 });
    expect(range.before + (range.end - range.start) * 20 + range.after).toBe(range.total);
  });

  it("clamps at both ends of the list", () => {
    const offsets = rowOffsets(keys(50), new Map(), 20);
    expect(windowRange(offsets, { top: 0, height: 200 }, 10)).toMatchObject({ start: 0, end: 21, before: 0 });
    expect(windowRange(offsets, { top: 800, height: 200 }, 10)).toMatchObject({ start: 30, end: 50, after: 0 });
  });

  it("before the viewport is measured, shows the bottom of the chat (the newest messages)", () => {
    const offsets = rowOffsets(keys(1000), new Map(), 20);
    const range = windowRange(offsets, { top: 0, height: 0 }, 0);
    expect(range.end).toBe(1000);
    expect(range.start).toBe(1000 - 600 / 20);
  });

  it("a tall measured row moves the rows after it down", () => {
    const offsets = rowOffsets(keys(100), new Map([[1, 1000]]), 20); // row 1 is 1000 px tall
    expect(windowRange(offsets, { top: 0, height: 100 }, 0)).toMatchObject({ start: 0, end: 1 });
    expect(windowRange(offsets, { top: 1000, height: 100 }, 0)).toMatchObject({ start: 1, end: 7, before: 1000 });
  });
});
