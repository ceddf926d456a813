import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEV_AUTH_SECRET, EnvError, loadEnv } from "./env";

const GOOD_SECRET = "a-production-secret-that-is-long-enough-0123456789";
const productionSecrets = {
  BETTER_AUTH_SECRET: GOOD_SECRET,
  LIVEKIT_API_KEY: "prod-key",
  LIVEKIT_API_SECRET: "prod-livekit-secret-0123456789abcdef",
};
const production = { NODE_ENV: "production", ...productionSecrets };

/** The EnvError loadEnv throws for `source` (fails the test when it does not throw one). */
function problemsOf(source: Record<string, string>): string[] {
  try {
    loadEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    expect((error as EnvError).message).toMatch(/^Invalid configuration:/);
    return (error as EnvError).problems;
  }
  throw new Error(`loadEnv accepted ${JSON.stringify(source)}`);
}

describe("loadEnv", () => {
  it("TRPC_FAST_LANE is on by default, takes on or off, and refuses anything else by name", () => {
    expect(loadEnv({}).TRPC_FAST_LANE).toBe("on");
    expect(loadEnv({ TRPC_FAST_LANE: "off" }).TRPC_FAST_LANE).toBe("off");
    expect(problemsOf({ TRPC_FAST_LANE: "maybe" })).toEqual([expect.stringMatching(/^TRPC_FAST_LANE: /)]);
  });

  it("has the documented defaults", () => {
    const env = loadEnv({});
    expect(env).toMatchObject({
      NODE_ENV: "development",
      production: false,
      PORT: 3000,
      HOST: "127.0.0.1",
      PUBLIC_URL: "http://localhost:3000",
      DATA_DIR: path.resolve(".data"),
      LIVEKIT_URL: "ws://localhost:7880",
      LIVEKIT_API_KEY: "devkey",
      LIVEKIT_API_SECRET: "secret",
      BETTER_AUTH_SECRET: DEV_AUTH_SECRET,
      ADMIN_EMAILS: [],
      AUTH_RATE_LIMIT: 20,
      MAIL_RATE_LIMIT: 5,
      SUBSCRIPTIONS_PER_ADDRESS: 20,
      firstUserIsAdmin: true,
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.origins).toEqual(["http://localhost:3000"]);
  });

  it("resolves DATA_DIR against the directory npm was run from (INIT_CWD)", () => {
    expect(loadEnv({ INIT_CWD: "/srv/onair" }).DATA_DIR).toBe("/srv/onair/.data");
    expect(loadEnv({ INIT_CWD: "/srv/onair", DATA_DIR: "/var/lib/onair" }).DATA_DIR).toBe("/var/lib/onair");
  });

  it("derives PUBLIC_URL from PORT, strips trailing slashes, adds TRUSTED_ORIGINS", () => {
    expect(loadEnv({ NODE_ENV: "test", PORT: "4321" }).PUBLIC_URL).toBe("http://localhost:4321");
    const env = loadEnv({
      NODE_ENV: "test",
      PUBLIC_URL: "https://onair.example/",
      TRUSTED_ORIGINS: " https://a.example/ , https://b.example ,",
    });
    expect(env.PUBLIC_URL).toBe("https://onair.example");
    expect(env.origins).toEqual(["https://onair.example", "https://a.example", "https://b.example"]);
  });

  it("reads ADMIN_EMAILS as a list and then makes no first-user admin", () => {
    const env = loadEnv({ NODE_ENV: "test", ADMIN_EMAILS: "a@example.com, b@example.com" });
    expect(env.ADMIN_EMAILS).toEqual(["a@example.com", "b@example.com"]);
    expect(env.firstUserIsAdmin).toBe(false);
  });

  it("treats an empty DATABASE_URL as unset and accepts postgres:// and postgresql://", () => {
    expect(loadEnv({ DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
    expect(loadEnv({ DATABASE_URL: "postgres://u@h/db" }).DATABASE_URL).toBe("postgres://u@h/db");
    expect(loadEnv({ DATABASE_URL: "postgresql://u@h/db" }).DATABASE_URL).toBe("postgresql://u@h/db");
  });

  it("names PORT when it is not a port number", () => {
    for (const PORT of ["abc", "70000", "-1", "3.5"]) {
      const problems = problemsOf({ PORT });
      expect(problems, PORT).toHaveLength(1);
      expect(problems[0], PORT).toMatch(/^PORT: /);
    }
  });

  it("names DATABASE_URL when it is not a postgres URL", () => {
    for (const DATABASE_URL of ["mysql://u@h/db", "localhost:5432", "file:./data"]) {
      expect(problemsOf({ DATABASE_URL }).join("\n"), DATABASE_URL).toMatch(/DATABASE_URL/);
    }
  });

  it("names every other malformed variable", () => {
    const cases: [string, string][] = [
      ["NODE_ENV", "staging"],
      ["PUBLIC_URL", "not a url"],
      ["LIVEKIT_URL", "http://livekit.example"],
      ["LIVEKIT_API_URL", "ws://livekit.example"],
      ["AUTH_RATE_LIMIT", "0"],
      ["MAIL_RATE_LIMIT", "0"],
      ["MAIL_RATE_LIMIT", "2.5"],
      ["MAIL_RATE_LIMIT", "lots"],
      ["SUBSCRIPTIONS_PER_ADDRESS", "0"],
      ["BUS_URL", "postgres://db/onair"],
      ["BUS_URL", "localhost:6379"],
      ["SUBSCRIPTIONS_PER_ADDRESS", "many"],
      ["LOG_LEVEL", "loud"],
      ["DATA_DIR", ""],
    ];
    for (const [name, value] of cases) {
      expect(problemsOf({ [name]: value }).join("\n"), name).toMatch(new RegExp(`^${name}: `));
    }
  });

  it("reads MAIL_RATE_LIMIT (account mails per address per hour)", () => {
    expect(loadEnv({ MAIL_RATE_LIMIT: "12" }).MAIL_RATE_LIMIT).toBe(12);
    expect(loadEnv({ NODE_ENV: "production", ...productionSecrets }).MAIL_RATE_LIMIT).toBe(5);
  });

  it("reads BUS_URL: unset or empty keeps LISTEN/NOTIFY, redis:// puts the bus on Redis", () => {
    expect(loadEnv({}).BUS_URL).toBeUndefined();
    expect(loadEnv({ BUS_URL: "" }).BUS_URL).toBeUndefined();
    expect(loadEnv({ BUS_URL: "redis://10.0.0.5:6379" }).BUS_URL).toBe("redis://10.0.0.5:6379");
    expect(problemsOf({ BUS_URL: "nats://x:4222" })).toEqual([
      "BUS_URL: must be a redis://host:port URL (unset: PostgreSQL LISTEN/NOTIFY)",
    ]);
  });

  it("reads SUBSCRIPTIONS_PER_ADDRESS (open SSE subscriptions per client address)", () => {
    expect(loadEnv({ SUBSCRIPTIONS_PER_ADDRESS: "20000" }).SUBSCRIPTIONS_PER_ADDRESS).toBe(20_000);
  });

  it("lists every problem at once", () => {
    const problems = problemsOf({ PORT: "nope", DATABASE_URL: "mysql://x" });
    expect(problems.some((p) => p.startsWith("PORT: "))).toBe(true);
    expect(problems.some((p) => p.startsWith("DATABASE_URL: "))).toBe(true);
  });

  it("reads TRUST_PROXY: unset trusts no proxy, a hop count, or addresses/CIDRs", () => {
    expect(loadEnv({}).TRUST_PROXY).toBe(false);
    expect(loadEnv({ NODE_ENV: "production", ...productionSecrets }).TRUST_PROXY).toBe(false);
    expect(loadEnv({ TRUST_PROXY: "2" }).TRUST_PROXY).toBe(2);
    expect(loadEnv({ TRUST_PROXY: "10.0.0.1, 192.168.0.0/16,::1,fd00::/8,loopback" }).TRUST_PROXY).toEqual([
      "10.0.0.1",
      "192.168.0.0/16",
      "::1",
      "fd00::/8",
      "loopback",
    ]);
    for (const bad of ["true", "10.0.0.300", "10.0.0.0/33", "proxy.example.com", "-1"]) {
      expect(problemsOf({ TRUST_PROXY: bad }), bad).toEqual([expect.stringMatching(/^TRUST_PROXY: must be a hop count or a list/)]);
    }
  });

  it("outside production, refuses to listen beyond loopback with the public defaults, naming what to set", () => {
    for (const HOST of ["127.0.0.1", "::1", "localhost"])
      expect(loadEnv({ HOST }).publicDefaults).toEqual(["LIVEKIT_API_KEY", "LIVEKIT_API_SECRET", "BETTER_AUTH_SECRET"]);
    for (const HOST of ["0.0.0.0", "::", "192.168.1.20"]) {
      const [problem] = problemsOf({ HOST });
      expect(problem, HOST).toMatch(new RegExp(`^HOST: ${HOST} is reachable from other machines`));
      expect(problem).toContain("LIVEKIT_API_KEY, LIVEKIT_API_SECRET, BETTER_AUTH_SECRET");
    }
    expect(problemsOf({ HOST: "0.0.0.0", ...productionSecrets, BETTER_AUTH_SECRET: DEV_AUTH_SECRET })).toEqual([
      expect.stringMatching(/while BETTER_AUTH_SECRET is left at the public development defaults; set BETTER_AUTH_SECRET/),
    ]);
    const own = loadEnv({ HOST: "0.0.0.0", ...productionSecrets });
    expect([own.HOST, own.publicDefaults]).toEqual(["0.0.0.0", []]);
  });

  describe("in production", () => {
    it("accepts secrets of its own, and never makes the first account admin", () => {
      const env = loadEnv(production);
      expect(env.production).toBe(true);
      expect(env.BETTER_AUTH_SECRET).toBe(GOOD_SECRET);
      expect(env.firstUserIsAdmin).toBe(false);
    });

    it("refuses a missing BETTER_AUTH_SECRET, naming it", () => {
      const { BETTER_AUTH_SECRET: _, ...rest } = production;
      expect(problemsOf(rest)).toEqual([expect.stringMatching(/^BETTER_AUTH_SECRET: must be set/)]);
    });

    it("refuses the development BETTER_AUTH_SECRET, naming it", () => {
      expect(problemsOf({ ...production, BETTER_AUTH_SECRET: DEV_AUTH_SECRET })).toEqual([expect.stringMatching(/^BETTER_AUTH_SECRET: /)]);
    });

    it("refuses a BETTER_AUTH_SECRET shorter than 32 characters, naming it", () => {
      expect(problemsOf({ ...production, BETTER_AUTH_SECRET: "x".repeat(31) })).toEqual([
        expect.stringMatching(/^BETTER_AUTH_SECRET: must be at least 32 characters/),
      ]);
      expect(loadEnv({ ...production, BETTER_AUTH_SECRET: "x".repeat(32) }).BETTER_AUTH_SECRET).toHaveLength(32);
    });

    it("refuses the LiveKit defaults, naming each variable", () => {
      expect(problemsOf({ ...production, LIVEKIT_API_KEY: "devkey" })).toEqual([expect.stringMatching(/^LIVEKIT_API_KEY: /)]);
      expect(problemsOf({ ...production, LIVEKIT_API_SECRET: "secret" })).toEqual([expect.stringMatching(/^LIVEKIT_API_SECRET: /)]);
      const { LIVEKIT_API_KEY: _k, LIVEKIT_API_SECRET: _s, ...unset } = production;
      const problems = problemsOf(unset);
      expect(problems).toHaveLength(2);
      expect(problems.join("\n")).toMatch(/LIVEKIT_API_KEY/);
      expect(problems.join("\n")).toMatch(/LIVEKIT_API_SECRET/);
    });

    it("refuses a LIVEKIT_API_SECRET shorter than 32 characters, naming it", () => {
      expect(problemsOf({ ...production, LIVEKIT_API_SECRET: "x".repeat(31) })).toEqual([
        expect.stringMatching(/^LIVEKIT_API_SECRET: must be at least 32 characters/),
      ]);
      expect(loadEnv({ ...production, LIVEKIT_API_SECRET: "x".repeat(32) }).livekit.apiSecret).toHaveLength(32);
    });

    it("reports every default left in place together", () => {
      const problems = problemsOf({ NODE_ENV: "production" });
      expect(problems.map((p) => p.split(":")[0])).toEqual(["BETTER_AUTH_SECRET", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET"]);
    });

    it("allows the defaults outside production", () => {
      for (const NODE_ENV of ["development", "test"]) {
        expect(loadEnv({ NODE_ENV }).LIVEKIT_API_KEY).toBe("devkey");
      }
    });
  });
});
