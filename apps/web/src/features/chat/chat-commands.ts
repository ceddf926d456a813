import { USERNAME_PATTERN } from "@onair/auth/username";

/** A moderator's chat command, parsed: what to call and with what. */
export type ChatCommand =
  | { name: "timeout"; username: string; minutes: number; reason?: string }
  | { name: "ban"; username: string; reason?: string }
  | { name: "unban"; username: string }
  | { name: "mod"; username: string };

/** Who may use which: "owner" is the channel's creator (or an admin), "moderator" an appointed one. */
export type CommandRole = "owner" | "moderator" | null;

export type ParsedCommand = { ok: true; command: ChatCommand } | { ok: false; error: string };

export const COMMAND_HELP = "/timeout name 10m reason, /ban name reason, /unban name, /mod name";
/** A timeout without a length lasts this long (as on Twitch). */
export const DEFAULT_TIMEOUT_MINUTES = 10;
/** The longest timeout the server accepts (7 days). */
export const MAX_TIMEOUT_MINUTES = 10_080;
const MAX_REASON = 200;

const UNITS: Record<string, number> = { m: 1, min: 1, h: 60, d: 1440 };
const DURATION = /^(\d{1,5})(m|min|h|d)?$/i;

/** Whether the text is meant as a command (starts with "/"), not a chat message. */
export const isCommand = (text: string) => text.trimStart().startsWith("/");

/**
 * Parses `/timeout name 10m reason`, `/ban name reason`, `/unban name` and `/mod name` (the last for
 * the channel's creator only), checking who may use them. A length is minutes, or with `m`, `h` or
 * `d`; without one a timeout lasts 10 minutes. The name may start with "@".
 */
export function parseCommand(text: string, role: CommandRole): ParsedCommand {
  const [head = "", ...rest] = text.trim().split(/\s+/);
  const name = head.slice(1).toLowerCase();
  if (!["timeout", "ban", "unban", "mod"].includes(name)) {
    return { ok: false, error: `Unknown command ${head}. Commands: ${COMMAND_HELP}` };
  }
  if (role === null) return { ok: false, error: `Only the channel's creator and its moderators can use /${name}` };
  if (name === "mod" && role !== "owner") return { ok: false, error: "Only the channel's creator can appoint moderators (/mod)" };

  const [target = "", ...args] = rest;
  const username = target.replace(/^@/, "");
  if (!username)
    return { ok: false, error: `Say whom: /${name} name${name === "timeout" ? " 10m reason" : name === "ban" ? " reason" : ""}` };
  if (!USERNAME_PATTERN.test(username)) return { ok: false, error: `“${target}” is not a username` };

  if (name === "unban" || name === "mod") {
    if (args.length > 0) return { ok: false, error: `/${name} takes only a name: /${name} ${username}` };
    return { ok: true, command: { name, username } };
  }
  let minutes = DEFAULT_TIMEOUT_MINUTES;
  if (name === "timeout" && args[0] !== undefined) {
    const length = DURATION.exec(args[0]);
    if (length) {
      minutes = Number(length[1]) * UNITS[(length[2] ?? "m").toLowerCase()]!;
      args.shift();
      if (minutes < 1 || minutes > MAX_TIMEOUT_MINUTES) {
        return { ok: false, error: "A timeout lasts from 1 minute to 7 days (1m to 7d)" };
      }
    }
  }
  const reason = args.join(" ");
  if (reason.length > MAX_REASON) return { ok: false, error: `The reason is too long: at most ${MAX_REASON} characters` };
  const withReason = reason ? { reason } : {};
  return {
    ok: true,
    command: name === "timeout" ? { name, username, minutes, ...withReason } : { name: "ban", username, ...withReason },
  };
}
