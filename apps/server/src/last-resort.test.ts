import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { installLastResort } from "./last-resort";

const containing = (text: string): string => expect.stringContaining(text) as string;

function install(production: boolean) {
  const lines: { level: string; context: Record<string, unknown>; message: string }[] = [];
  const exits: number[] = [];
  const target = new EventEmitter();
  installLastResort({
    production,
    target,
    exit: (code) => exits.push(code),
    log: () => ({
      error: (context, message) => lines.push({ level: "error", context: context as Record<string, unknown>, message }),
      fatal: (context, message) => lines.push({ level: "fatal", context: context as Record<string, unknown>, message }),
    }),
  });
  return { target, lines, exits };
}

describe("the last resort (main.ts)", () => {
  it("in production an unhandled rejection is logged with its error and the server keeps serving", () => {
    const { target, lines, exits } = install(true);
    const reason = new Error("nobody awaited me");
    target.emit("unhandledRejection", reason, Promise.resolve());
    expect(lines).toEqual([
      { level: "error", context: { err: reason, event: "unhandledRejection" }, message: containing("keeps serving") },
    ]);
    expect(exits).toEqual([]);
  });

  it("outside production an unhandled rejection is logged, then ends the process (tests fail loudly)", () => {
    const { target, lines, exits } = install(false);
    target.emit("unhandledRejection", new Error("bug"), Promise.resolve());
    expect(lines.map((line) => line.level)).toEqual(["error"]);
    expect(exits).toEqual([1]);
  });

  it.each([true, false])("an uncaught exception is logged (fatal), then ends the process (production: %s)", (production) => {
    const { target, lines, exits } = install(production);
    const error = new TypeError("Cannot read properties of null (reading 'write')");
    target.emit("uncaughtException", error, "uncaughtException");
    expect(lines).toEqual([
      {
        level: "fatal",
        context: { err: error, event: "uncaughtException", origin: "uncaughtException" },
        message: containing("stopping"),
      },
    ]);
    expect(exits).toEqual([1]);
  });
});
