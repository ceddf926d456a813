import { describe, expect, it } from "vitest";
import { loadEnv } from "./env";
import { startWarnings } from "./start-warnings";

describe("startWarnings", () => {
  it("says in one loud line that the public defaults are in use, naming them", () => {
    const [line, ...rest] = startWarnings(loadEnv({}));
    expect(rest).toEqual([]);
    expect(line).toMatch(/^!!! DEVELOPMENT SERVER: LIVEKIT_API_KEY, LIVEKIT_API_SECRET, BETTER_AUTH_SECRET are the public default/);
    expect(line).not.toContain("\n");
  });

  it("says nothing when every secret is the operator's own", () => {
    const env = loadEnv({ LIVEKIT_API_KEY: "k", LIVEKIT_API_SECRET: "s".repeat(32), BETTER_AUTH_SECRET: "b".repeat(32) });
    expect(startWarnings(env)).toEqual([]);
  });

  it("in production without SMTP_URL, warns that mail is off; with it, says nothing", () => {
    const production = {
      NODE_ENV: "production",
      LIVEKIT_API_KEY: "k",
      LIVEKIT_API_SECRET: "s".repeat(32),
      BETTER_AUTH_SECRET: "b".repeat(32),
    };
    expect(startWarnings(loadEnv(production))).toEqual([expect.stringMatching(/^Mail is off: SMTP_URL is not set/)]);
    expect(startWarnings(loadEnv({ ...production, SMTP_URL: "smtp://mail.example:587" }))).toEqual([]);
  });
});
