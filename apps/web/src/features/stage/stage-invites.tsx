import { lazy, Suspense, useCallback, useReducer } from "react";
import { toast } from "../../lib/toast";
import { trpc } from "../../lib/trpc";
import { guestReducer, initialGuestState, type GuestState } from "./stage-state";

// Camera, microphone and LiveKit load only when an invitation arrives.
const StageGuest = lazy(() => import("./stage-guest"));

/**
 * Mounted once for a signed-in user (the app shell): listens for invitations on stage (`stage.onInvite`,
 * on the tab's shared stream) and, when one is open or the user is on a stage, shows the invitation
 * dialog and the "You're on stage" bar.
 */
export function StageInvites({ username }: { username: string }) {
  const [state, dispatch] = useReducer(guestReducer, initialGuestState);
  const utils = trpc.useUtils();
  const current = state.stage?.phase === "on" ? state.stage.channel : null;

  /** Withdrawn while on that stage (removed, the stream ended, or this accept's own echo): still on it? */
  const check = useCallback(
    async (channel: string) => {
      const guests = await utils.stage.list.fetch({ username: channel }, { staleTime: 0 }).catch(() => null);
      if (guests === null || guests.some((guest) => guest.username === username)) return;
      dispatch({ type: "off", channel });
      toast.error(`You're off ${channel}'s stage: the creator took you off, or the stream ended`);
    },
    [utils, username],
  );

  trpc.stage.onInvite.useSubscription(undefined, {
    onData: (event) => {
      if (event.type === "invited") {
        dispatch({ type: "invited", invitation: { channel: event.channel, invitedBy: event.invitedBy, at: new Date(event.at) } });
        return;
      }
      dispatch({ type: "withdrawn", channel: event.channel });
      if (event.channel === current) void check(event.channel);
    },
  });

  if (!busy(state)) return null;
  return (
    <Suspense fallback={null}>
      <StageGuest state={state} dispatch={dispatch} />
    </Suspense>
  );
}

const busy = (state: GuestState) => state.invitations.length > 0 || state.stage !== null;
