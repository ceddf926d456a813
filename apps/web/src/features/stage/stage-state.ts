/**
 * A signed-in user's side of "guest on stage": the invitations they have open (from `stage.onInvite`) and
 * the stage they are accepting or on. Pure, so the rules are tested without a browser.
 */

export interface Invitation {
  channel: string;
  invitedBy?: string;
  at: Date;
}

export interface StageConnection {
  token: string;
  wsUrl: string;
}

export type Stage =
  /** `stage.accept` is on its way: the invitation stays on screen whatever the stream says meanwhile. */
  | { phase: "accepting"; invitation: Invitation }
  /** `since`: when the accept answered (ms); only a stage list asked after it can say the guest is off. */
  | { phase: "on"; channel: string; connection: StageConnection; since: number };

export interface GuestState {
  invitations: Invitation[];
  stage: Stage | null;
}

export type GuestAction =
  | { type: "invited"; invitation: Invitation }
  | { type: "withdrawn"; channel: string }
  | { type: "accepting"; invitation: Invitation }
  | { type: "accepted"; channel: string; connection: StageConnection; at: number }
  | { type: "failed"; channel: string }
  | { type: "declined"; channel: string }
  | { type: "off"; channel: string };

export const initialGuestState: GuestState = { invitations: [], stage: null };

const stageChannel = (stage: Stage | null) => (stage?.phase === "accepting" ? stage.invitation.channel : stage?.channel);

export function guestReducer(state: GuestState, action: GuestAction): GuestState {
  const without = (channel: string) => state.invitations.filter((i) => i.channel !== channel);
  switch (action.type) {
    case "invited":
      if (state.invitations.some((i) => i.channel === action.invitation.channel)) return state;
      if (stageChannel(state.stage) === action.invitation.channel) return state;
      return { ...state, invitations: [...state.invitations, action.invitation] };
    case "withdrawn":
    case "declined":
      // Withdrawn while on that stage: the page checks whether it still is (`off` when not).
      return { ...state, invitations: without(action.channel) };
    case "accepting":
      return { invitations: without(action.invitation.channel), stage: { phase: "accepting", invitation: action.invitation } };
    case "accepted":
      return { ...state, stage: { phase: "on", channel: action.channel, connection: action.connection, since: action.at } };
    case "failed":
    case "off":
      return stageChannel(state.stage) === action.channel ? { ...state, stage: null } : state;
  }
}

/** The invitation the dialog shows: the one being accepted, else the oldest open one while on no stage. */
export function shownInvitation(state: GuestState): Invitation | null {
  if (state.stage?.phase === "accepting") return state.stage.invitation;
  if (state.stage) return null;
  return state.invitations[0] ?? null;
}
