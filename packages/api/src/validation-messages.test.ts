import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeZodError } from "./validation-messages";

const schema = z.object({
  title: z.string().trim().min(1).max(140),
  code: z.string().min(1).max(1),
  thumbnail: z.url({ error: "must be an http(s) URL" }).optional(),
  slowModeSeconds: z.number().int().min(2).max(300).optional(),
  tags: z.array(z.string()).max(3).optional(),
});

const errorsFor = (input: unknown) => {
  const result = schema.safeParse(input);
  if (result.success) throw new Error("expected the input to fail");
  return describeZodError(result.error);
};

describe("validation messages read as sentences", () => {
  it("says what is wrong with each field, named in words", () => {
    const { fieldErrors, message } = errorsFor({
      title: "x".repeat(141),
      code: "ab",
      thumbnail: "nope",
      slowModeSeconds: 301,
      tags: ["a", "b", "c", "d"],
    });
    expect(fieldErrors).toEqual({
      title: ["Title can be at most 140 characters"],
      code: ["Code can be at most 1 character"],
      thumbnail: ["Thumbnail must be an http(s) URL"],
      slowModeSeconds: ["Slow mode seconds can be at most 300"],
      tags: ["Tags can have at most 3 items"],
    });
    // The one-line message still names each field first, for API clients.
    expect(message).toMatch(/^title: can be at most 140 characters; code: /);
    expect(message).not.toMatch(/Too big|expected/);
  });

  it("a missing or blank required field is required; numbers too small say their minimum", () => {
    expect(errorsFor({ title: "   ", code: "a" }).fieldErrors).toEqual({ title: ["Title is required"] });
    expect(errorsFor({ code: "a" }).fieldErrors).toEqual({ title: ["Title is required"] });
    expect(errorsFor({ title: "t", code: "a", slowModeSeconds: 1 }).fieldErrors).toEqual({
      slowModeSeconds: ["Slow mode seconds must be at least 2"],
    });
    expect(errorsFor({ title: "t", code: "a", slowModeSeconds: 2.5 }).fieldErrors).toEqual({
      slowModeSeconds: ["Slow mode seconds must be a whole number"],
    });
  });
});
