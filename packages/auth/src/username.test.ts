import { describe, expect, it } from "vitest";
import { RESERVED_USERNAMES, usernameProblem } from "./username";

describe("usernameProblem", () => {
  it("accepts 3–30 letters, digits and underscores in any case", () => {
    for (const name of ["abc", "Alice_99", "x".repeat(30), "___", "A1B2C3"]) {
      expect(usernameProblem(name), name).toBeNull();
    }
  });

  it("refuses the wrong length or other characters", () => {
    for (const name of ["", "ab", "x".repeat(31), "al ice", "al-ice", "alice!", "élodie", "a.b.c", "abc\n"]) {
      expect(usernameProblem(name), JSON.stringify(name)).toMatch(/3–30 letters, digits or underscores/);
    }
  });

  it("refuses reserved words whatever their case", () => {
    for (const name of ["admin", "api", "dashboard", "login", "ADMIN", "Login", "trpc", "healthz"]) {
      expect(usernameProblem(name), name).toMatch(/reserved/);
    }
  });

  it("keeps every reserved word lowercase (lookups lowercase first)", () => {
    for (const word of RESERVED_USERNAMES) expect(word).toBe(word.toLowerCase());
  });
});
