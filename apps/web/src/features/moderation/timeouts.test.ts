import { describe, expect, it } from "vitest";
import { formatLeft, formatMinutes } from "./timeouts";

describe("timeouts", () => {
  it("formats a timeout's length", () => {
    expect([1, 10, 60, 90, 1440, 2880, 1500].map(formatMinutes)).toEqual(["1 min", "10 min", "1 h", "1 h 30 min", "24 h", "2 d", "25 h"]);
  });
  it("counts down what is left, never below zero", () => {
    expect(formatLeft(10_000 + 245_000, 10_000)).toBe("4:05");
    expect(formatLeft(3_729_000, 0)).toBe("1:02:09");
    expect(formatLeft(0, 5_000)).toBe("0:00");
    expect(formatLeft(1_500, 1_000)).toBe("0:01");
  });
});
