import { describe, expect, it } from "vitest";
import { guestReducer, initialGuestState, shownInvitation, type GuestAction, type GuestState } from "./stage-state";

const invitation = (channel: string) => ({ channel, invitedBy: channel, at: new Date(0) });
const run = (...actions: GuestAction[]) => actions.reduce<GuestState>(guestReducer, initialGuestState);
const connection = { token: "t", wsUrl: "ws://lk" };

describe("a guest's invitations and stage", () => {
  it("shows the oldest open invitation once; a withdrawal closes it", () => {
    const state = run(
      { type: "invited", invitation: invitation("alice") },
      { type: "invited", invitation: invitation("bob") },
      { type: "invited", invitation: invitation("alice") },
    );
    expect(state.invitations.map((i) => i.channel)).toEqual(["alice", "bob"]);
    expect(shownInvitation(state)?.channel).toBe("alice");
    expect(shownInvitation(guestReducer(state, { type: "withdrawn", channel: "alice" }))?.channel).toBe("bob");
  });

  it("accepting keeps the invitation on screen through its own withdrawal echo, then goes on stage", () => {
    let state = run({ type: "invited", invitation: invitation("alice") }, { type: "accepting", invitation: invitation("alice") });
    state = guestReducer(state, { type: "withdrawn", channel: "alice" });
    expect(shownInvitation(state)?.channel).toBe("alice");
    state = guestReducer(state, { type: "accepted", channel: "alice", connection, at: 1 });
    expect(shownInvitation(state)).toBeNull();
    expect(state.stage).toEqual({ phase: "on", channel: "alice", connection, since: 1 });
    // A withdrawal alone does not take the guest off: the page checks the stage first ("off").
    expect(guestReducer(state, { type: "withdrawn", channel: "alice" }).stage?.phase).toBe("on");
    expect(guestReducer(state, { type: "off", channel: "alice" }).stage).toBeNull();
  });

  it("while on a stage, other invitations wait; a failed accept drops the invitation", () => {
    let state = run({ type: "accepting", invitation: invitation("alice") }, { type: "accepted", channel: "alice", connection, at: 1 });
    state = guestReducer(state, { type: "invited", invitation: invitation("bob") });
    expect(shownInvitation(state)).toBeNull();
    expect(shownInvitation(guestReducer(state, { type: "off", channel: "alice" }))?.channel).toBe("bob");
    expect(run({ type: "accepting", invitation: invitation("carol") }, { type: "failed", channel: "carol" })).toEqual(initialGuestState);
  });

  it("declining closes the invitation; an off for another channel changes nothing", () => {
    const state = run({ type: "invited", invitation: invitation("alice") }, { type: "declined", channel: "alice" });
    expect(shownInvitation(state)).toBeNull();
    expect(guestReducer(state, { type: "off", channel: "zoe" })).toBe(state);
  });
});
