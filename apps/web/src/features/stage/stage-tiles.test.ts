import { describe, expect, it } from "vitest";
import { guestIdentityOf, isGuestIdentity, MAX_STAGE_GUESTS, stageTiles, type GuestParticipant } from "./stage-tiles";

type P = GuestParticipant<string, string>;
const guest = (name: string, id = name, video: string | null = `${name}-cam`): P => ({
  identity: guestIdentityOf(id),
  name,
  video,
  audio: `${name}-mic`,
});
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute));

describe("stage tiles", () => {
  it("guests come in the order they came on stage, with their media when they are in the room", () => {
    const tiles = stageTiles(
      [
        { username: "carol", since: at(5) },
        { username: "bob", since: at(1) },
      ],
      [guest("carol"), guest("bob")],
    );
    expect(tiles.map((t) => [t.username, t.video, t.joined])).toEqual([
      ["bob", "bob-cam", true],
      ["carol", "carol-cam", true],
    ]);
  });

  it("a listed guest not yet in the room gets a tile that says so; one the list does not know yet comes after", () => {
    const tiles = stageTiles([{ username: "bob", since: at(1).toISOString() }], [guest("zed", "u9")]);
    expect(tiles.map((t) => [t.username, t.identity, t.joined])).toEqual([
      ["bob", null, false],
      ["zed", "stage-u9", true],
    ]);
  });

  it("only stage- identities are guests: the creator's tracks never become a guest tile", () => {
    const creator: P = { identity: "creator-1", name: "alice", video: "alice-cam", audio: null };
    expect(stageTiles([], [creator])).toEqual([]);
    expect(isGuestIdentity("stage-abc")).toBe(true);
    expect(isGuestIdentity("viewer-abc")).toBe(false);
  });

  it("at most three guests", () => {
    const list = ["a", "b", "c", "d"].map((username, i) => ({ username, since: at(i) }));
    expect(stageTiles(list, []).map((t) => t.username)).toEqual(["a", "b", "c"]);
    expect(MAX_STAGE_GUESTS).toBe(3);
  });

  it("nothing loaded and nobody in the room: no tiles (the player stays as it is)", () => {
    expect(stageTiles(undefined, [])).toEqual([]);
  });
});
