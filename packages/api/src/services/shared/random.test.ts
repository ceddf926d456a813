import { describe, expect, it } from "vitest";
import { viewerIdentity } from "../live/live";
import { randomBase64url } from "./random";

describe("randomBase64url", () => {
  it("hands out fresh bytes every time, across pool refills", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) seen.add(randomBase64url(9)); // ~11 refills of the 4 KiB pool
    expect(seen.size).toBe(5000);
    for (const value of seen) expect(value).toMatch(/^[A-Za-z0-9_-]{12}$/);
  });

  it("serves sizes larger than the pool too", () => {
    expect(Buffer.from(randomBase64url(5000), "base64url")).toHaveLength(5000);
  });

  it("keeps guest identities as before: guest- and 9 random bytes", () => {
    expect(viewerIdentity(undefined)).toMatch(/^guest-[A-Za-z0-9_-]{12}$/);
    expect(viewerIdentity("u1")).toBe("viewer-u1");
  });
});
