import { lazy, Suspense, useEffect, useReducer, useRef } from "react";
import { trpc } from "../../lib/trpc";
import { toastOffStage, useStillOnStage } from "./use-still-on-stage";
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
  const current = state.stage?.phase === "on" ? state.stage.channel : null;
  // The stage this page was on last: a check or LiveKit may have taken it off before the server's word came.
  const lastOn = useRef<string | null>(null);
  const utils = trpc.useUtils();
  useEffect(() => {
    if (current) lastOn.current = current;
    // Off that stage, whoever said so: the channel's tiles drop this user now, not at their next refresh.
    else if (lastOn.current) void utils.stage.list.invalidate({ username: lastOn.current });
  }, [current, utils]);
  const check = useStillOnStage(state, username, dispatch);

  trpc.stage.onInvite.useSubscription(undefined, {
    onData: (event) => {
      if (event.type === "invited") {
        dispatch({ type: "invited", invitation: { channel: event.channel, invitedBy: event.invitedBy, at: new Date(event.at) } });
        return;
      }
      if (event.type === "removed") {
        if (event.channel === lastOn.current) toastOffStage(event.channel, event.why);
        dispatch({ type: "off", channel: event.channel });
        return;
      }
      dispatch({ type: "withdrawn", channel: event.channel });
      // Withdrawn while on that stage (or this accept's own echo): still on it?
      if (event.channel === current) check();
    },
  });

  if (!busy(state)) return null;
  return (
    <Suspense fallback={null}>
      <StageGuest state={state} dispatch={dispatch} onCheck={check} />
    </Suspense>
  );
}

const busy = (state: GuestState) => state.invitations.length > 0 || state.stage !== null;
