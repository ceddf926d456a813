import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";

export const DEV_AUTH_SECRET = "onair-development-secret-change-me-in-production";
const DEV_LIVEKIT = { key: "devkey", secret: "secret" };

const list = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  );

/** proxy-addr's names for address ranges, accepted in TRUST_PROXY lists. */
const PROXY_PRESETS = new Set(["loopback", "linklocal", "uniquelocal"]);
const isProxyAddress = (item: string) => {
  if (PROXY_PRESETS.has(item)) return true;
  const [address = "", bits, ...rest] = item.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
};

/** Unset: trust no proxy (the socket's address is the client's); a hop count; or proxy addresses/CIDRs. */
const trustProxy = z
  .string()
  .optional()
  .transform((value, ctx): false | number | string[] => {
    const text = (value ?? "").trim();
    if (text === "") return false;
    if (/^\d+$/.test(text)) return Number(text);
    const items = text
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean);
    const bad = items.filter((item) => !isProxyAddress(item));
    if (bad.length > 0)
      ctx.addIssue({ code: "custom", message: `must be a hop count or a list of addresses/CIDRs (not ${bad.join(", ")})` });
    return items;
  });

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  PUBLIC_URL: z.url().optional(),
  TRUSTED_ORIGINS: list,
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  DATA_DIR: z.string().min(1).default(".data"),
  LIVEKIT_URL: z
    .string()
    .regex(/^wss?:\/\//, "must be a ws:// or wss:// URL")
    .default("ws://localhost:7880"),
  /** LiveKit's server API; default: LIVEKIT_URL with http(s) instead of ws(s). */
  LIVEKIT_API_URL: z
    .string()
    .regex(/^https?:\/\//, "must be an http:// or https:// URL")
    .optional(),
  LIVEKIT_API_KEY: z.string().min(1).default(DEV_LIVEKIT.key),
  LIVEKIT_API_SECRET: z.string().min(1).default(DEV_LIVEKIT.secret),
  BETTER_AUTH_SECRET: z.string().min(1).optional(),
  ADMIN_EMAILS: list,
  /** Mail transport (smtp:// or smtps://, nodemailer) for verification and password-reset mail. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** The From of account mail; default: OnAir <no-reply@the PUBLIC_URL host>. */
  MAIL_FROM: z.string().min(3).optional(),
  /** Which proxies' X-Forwarded-For is believed (Fastify's trustProxy); unset: none. */
  TRUST_PROXY: trustProxy,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Sign-in and sign-up attempts allowed per IP per minute. */
  AUTH_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
  /** The bus between instances: unset, PostgreSQL's LISTEN/NOTIFY; redis://host:port, Redis pub/sub. */
  BUS_URL: z
    .string()
    .regex(/^redis:\/\/[^/?#]+/, "must be a redis://host:port URL (unset: PostgreSQL LISTEN/NOTIFY)")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Open subscriptions (SSE) one client address may hold at once; past it, a 429. */
  SUBSCRIPTIONS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(20),
  /** Account mails (verification, password reset) sent to one address per hour; a client IP may ask for 4 × that many. */
  MAIL_RATE_LIMIT: z.coerce.number().int().min(1).max(1000).default(5),
  /** Coins every new account starts with. */
  WELCOME_COINS: z.coerce.number().int().min(0).max(1_000_000).default(100),
  /** How often the sweeper looks for broadcasts whose creator is gone; 0 turns it off. */
  SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).default(5000),
  /** on: plain tRPC calls and SSE subscriptions are answered in front of Fastify (src/trpc-lane); off: all through tRPC's Fastify adapter. */
  TRPC_FAST_LANE: z.enum(["on", "off"]).default("on"),
  /** Streaming software (OBS over RTMP or WHIP) through LiveKit Ingress; off for LiveKit deployments without it. */
  INGRESS: z.enum(["on", "off"]).default("on"),
  /** The built web app; default: apps/web/dist in this checkout. */
  WEB_DIST: z.string().optional(),
  /** Set by npm: the directory the npm command was typed in. */
  INIT_CWD: z.string().optional(),
});

export type Env = ReturnType<typeof resolve>;

/** Addresses only this machine can reach: the only ones a server with the public defaults may listen on. */
const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

function resolve(raw: z.infer<typeof schema>) {
  const production = raw.NODE_ENV === "production";
  const publicUrl = (raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`).replace(/\/$/, "");
  return {
    ...raw,
    /** Relative to where `npm start` / `npm run dev` was typed (npm's INIT_CWD), else the working directory. */
    DATA_DIR: path.resolve(raw.INIT_CWD ?? process.cwd(), raw.DATA_DIR),
    production,
    PUBLIC_URL: publicUrl,
    MAIL_FROM: raw.MAIL_FROM ?? `OnAir <no-reply@${new URL(publicUrl).hostname}>`,
    BETTER_AUTH_SECRET: raw.BETTER_AUTH_SECRET ?? DEV_AUTH_SECRET,
    livekit: {
      url: raw.LIVEKIT_URL,
      apiUrl: raw.LIVEKIT_API_URL ?? raw.LIVEKIT_URL.replace(/^ws/, "http"),
      apiKey: raw.LIVEKIT_API_KEY,
      apiSecret: raw.LIVEKIT_API_SECRET,
    },
    /** Origins allowed to call the API with cookies. */
    origins: [publicUrl, ...raw.TRUSTED_ORIGINS.map((origin) => origin.replace(/\/$/, ""))],
    /** Secrets left at their public defaults (development only: production refuses them). */
    publicDefaults: [
      ...(raw.LIVEKIT_API_KEY === DEV_LIVEKIT.key ? ["LIVEKIT_API_KEY"] : []),
      ...(raw.LIVEKIT_API_SECRET === DEV_LIVEKIT.secret ? ["LIVEKIT_API_SECRET"] : []),
      ...(!raw.BETTER_AUTH_SECRET || raw.BETTER_AUTH_SECRET === DEV_AUTH_SECRET ? ["BETTER_AUTH_SECRET"] : []),
    ],
    /** No ADMIN_EMAILS outside production: the first account created becomes admin. */
    firstUserIsAdmin: !production && raw.ADMIN_EMAILS.length === 0,
  };
}

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Reads and validates the configuration; the only place that reads `process.env`. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new EnvError(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  }
  const env = resolve(parsed.data);
  if (!env.production && env.publicDefaults.length > 0 && !LOOPBACK.has(env.HOST)) {
    // Anyone who can reach the server could mint LiveKit tokens and forge sessions with these.
    throw new EnvError([
      `HOST: ${env.HOST} is reachable from other machines while ${env.publicDefaults.join(", ")} ${env.publicDefaults.length > 1 ? "are" : "is"} ` +
        `left at the public development defaults; set ${env.publicDefaults.join(", ")} to secrets of your own, or listen on 127.0.0.1`,
    ]);
  }
  if (env.production) {
    const problems: string[] = [];
    if (!parsed.data.BETTER_AUTH_SECRET || env.BETTER_AUTH_SECRET === DEV_AUTH_SECRET) {
      problems.push("BETTER_AUTH_SECRET: must be set to a secret of your own in production");
    } else if (env.BETTER_AUTH_SECRET.length < 32) {
      problems.push("BETTER_AUTH_SECRET: must be at least 32 characters in production");
    }
    if (env.LIVEKIT_API_KEY === DEV_LIVEKIT.key) problems.push("LIVEKIT_API_KEY: the default is refused in production");
    if (env.LIVEKIT_API_SECRET === DEV_LIVEKIT.secret) {
      problems.push("LIVEKIT_API_SECRET: the default is refused in production");
    } else if (env.LIVEKIT_API_SECRET.length < 32) {
      problems.push("LIVEKIT_API_SECRET: must be at least 32 characters in production");
    }
    if (problems.length > 0) throw new EnvError(problems);
  }
  return env;
}
