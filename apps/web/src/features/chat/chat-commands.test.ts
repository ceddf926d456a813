import { describe, expect, it } from "vitest";
import { isCommand, parseCommand, type CommandRole } from "./chat-commands";

/** The error a refused command gets ("" when it parses). */
const errorOf = (text: string, role: CommandRole) => {
  const parsed = parseCommand(text, role);
  return parsed.ok ? "" : parsed.error;
};

describe("parseCommand", () => {
  it("reads a timeout with its length in minutes, hours or days and a reason", () => {
    expect(parseCommand("/timeout carol 10m caps lock again", "moderator")).toEqual({
      ok: true,
      command: { name: "timeout", username: "carol", minutes: 10, reason: "caps lock again" },
    });
    expect(parseCommand("/timeout @carol 1h", "owner")).toEqual({ ok: true, command: { name: "timeout", username: "carol", minutes: 60 } });
    expect(parseCommand("/TIMEOUT carol 24h", "owner")).toEqual({
      ok: true,
      command: { name: "timeout", username: "carol", minutes: 1440 },
    });
    expect(parseCommand("/timeout carol 1d", "owner")).toMatchObject({ command: { minutes: 1440 } });
    expect(parseCommand("/timeout carol 5", "owner")).toMatchObject({ command: { minutes: 5 } });
  });

  it("gives a timeout without a length 10 minutes, the rest being the reason", () => {
    expect(parseCommand("/timeout carol", "moderator")).toEqual({ ok: true, command: { name: "timeout", username: "carol", minutes: 10 } });
    expect(parseCommand("/timeout carol stop spamming", "moderator")).toEqual({
      ok: true,
      command: { name: "timeout", username: "carol", minutes: 10, reason: "stop spamming" },
    });
  });

  it("refuses a timeout shorter than a minute or longer than 7 days", () => {
    for (const length of ["0m", "8d", "169h", "10081"]) {
      expect(errorOf(`/timeout carol ${length}`, "owner")).toMatch(/1 minute to 7 days/);
    }
  });

  it("reads /ban with a reason, /unban and /mod with a name", () => {
    expect(parseCommand("/ban carol  spam   bot ", "moderator")).toEqual({
      ok: true,
      command: { name: "ban", username: "carol", reason: "spam bot" },
    });
    expect(parseCommand("/ban carol", "moderator")).toEqual({ ok: true, command: { name: "ban", username: "carol" } });
    expect(parseCommand("/unban carol", "moderator")).toEqual({ ok: true, command: { name: "unban", username: "carol" } });
    expect(parseCommand("/mod carol", "owner")).toEqual({ ok: true, command: { name: "mod", username: "carol" } });
  });

  it("keeps /mod for the creator, and every command from those who do not moderate", () => {
    expect(errorOf("/mod carol", "moderator")).toMatch(/Only the channel's creator/);
    for (const text of ["/ban carol", "/timeout carol 10m", "/unban carol", "/mod carol"]) {
      expect(errorOf(text, null)).toMatch(/creator and its moderators/);
    }
  });

  it("names an unknown command and lists the known ones; a missing or bad name is said", () => {
    expect(errorOf("/kick carol", "owner")).toMatch(/^Unknown command \/kick\. Commands: \/timeout/);
    expect(errorOf("/", "owner")).toMatch(/Unknown command/);
    expect(parseCommand("/ban", "owner")).toEqual({ ok: false, error: "Say whom: /ban name reason" });
    expect(parseCommand("/ban c!rol", "owner")).toEqual({ ok: false, error: "“c!rol” is not a username" });
    expect(parseCommand("/unban carol now", "owner")).toMatchObject({ ok: false });
    expect(errorOf(`/ban carol ${"x".repeat(201)}`, "owner")).toMatch(/too long/);
  });

  it("tells a command from a message", () => {
    expect(isCommand("/ban carol")).toBe(true);
    expect(isCommand("  /mod carol")).toBe(true);
    expect(isCommand("hello /ban")).toBe(false);
  });
});
