import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { isDatabaseOutage } from "./database-outage";

const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

describe("isDatabaseOutage", () => {
  it.each(["CONNECTION_CLOSED", "CONNECT_TIMEOUT", "ECONNREFUSED", "57P01", "57P03", "08006"])("%s is an outage", (code) => {
    expect(isDatabaseOutage(coded(code))).toBe(true);
  });

  it("follows the cause chain (tRPC wrapping Drizzle wrapping the driver's error)", () => {
    const drizzle = new Error("Failed query: select 1", { cause: coded("CONNECTION_CLOSED") });
    expect(isDatabaseOutage(new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: drizzle }))).toBe(true);
  });

  it("is not a bad query, a refused call or a bug", () => {
    expect(isDatabaseOutage(coded("23505", "duplicate key"))).toBe(false);
    expect(isDatabaseOutage(coded("57014", "canceling statement due to statement timeout"))).toBe(false);
    expect(isDatabaseOutage(new TRPCError({ code: "BAD_REQUEST", message: "text: too long" }))).toBe(false);
    expect(isDatabaseOutage(new TypeError("x is undefined"))).toBe(false);
    expect(isDatabaseOutage("CONNECTION_CLOSED")).toBe(false);
  });
});
