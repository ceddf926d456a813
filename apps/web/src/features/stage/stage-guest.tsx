import { useCallback, useEffect, type Dispatch } from "react";
import { useLocation, useNavigate } from "react-router";
import { errorMessage } from "../../lib/errors";
import { toast } from "../../lib/toast";
import { trpc } from "../../lib/trpc";
import { useLocalMedia } from "../live/use-local-media";
import { usePublisher } from "../live/use-publisher";
import { InvitationDialog } from "./invitation-dialog";
import { OnStageBar } from "./on-stage-bar";
import { toastOffStage } from "./use-still-on-stage";
import { shownInvitation, type GuestAction, type GuestState, type Invitation } from "./stage-state";

/**
 * The invited user's camera and microphone (one pair, from the invitation's preview to the stage), the
 * invitation dialog, and once accepted their LiveKit connection publishing both, as the creator's studio
 * publishes (`usePublisher`), with the "You're on stage" bar.
 */
interface StageGuestProps {
  state: GuestState;
  dispatch: Dispatch<GuestAction>;
  /** Asks the server at once whether the user is still on the stage. */
  onCheck: () => void;
}

export default function StageGuest({ state, dispatch, onCheck }: StageGuestProps) {
  const local = useLocalMedia();
  const ready = local.media.status === "ready" ? local.media : null;
  const stage = state.stage?.phase === "on" ? state.stage : null;
  const channel = stage?.channel ?? null;
  const utils = trpc.useUtils();
  const navigate = useNavigate();
  const location = useLocation();

  const onRoomClosed = useCallback(() => {
    if (!channel) return;
    dispatch({ type: "off", channel });
    toastOffStage(channel, "ended");
  }, [channel, dispatch]);
  const publisher = usePublisher(ready?.video ?? null, ready?.audio ?? null, onRoomClosed);
  const { connect, disconnect } = publisher;

  const connection = stage?.connection;
  useEffect(() => {
    if (!connection) return;
    void connect(connection.wsUrl, connection.token);
    return () => void disconnect();
  }, [connection, connect, disconnect]);

  // Dropped (LiveKit took the guest out, or the network): taken off the stage, or only a connection to retry?
  const failed = publisher.status.state === "failed";
  useEffect(() => {
    if (failed) onCheck();
  }, [failed, onCheck]);

  const accept = trpc.stage.accept.useMutation();
  const decline = trpc.stage.decline.useMutation({
    onError: (error, { username }) => toast.error(`Couldn't decline ${username}'s invitation: ${errorMessage(error)}`),
  });
  const leave = trpc.stage.leave.useMutation({
    onSuccess: (_, { username }) => {
      dispatch({ type: "off", channel: username });
      toast.success(`You left ${username}'s stage`);
    },
    onError: (error, { username }) => toast.error(`Couldn't leave ${username}'s stage: ${errorMessage(error)}`),
    onSettled: (_, __, { username }) => void utils.stage.list.invalidate({ username }),
  });

  /** Accepts (or, on stage, renews the token and connects again): the channel's page opens to watch along. */
  async function join(invitation: Invitation) {
    const name = invitation.channel;
    if (!stage) dispatch({ type: "accepting", invitation });
    try {
      const { token, wsUrl } = await accept.mutateAsync({ username: name });
      dispatch({ type: "accepted", channel: name, connection: { token, wsUrl }, at: Date.now() });
      void utils.stage.list.invalidate({ username: name });
      if (location.pathname !== `/${name}`) void navigate(`/${name}`);
    } catch (error) {
      if (!stage) dispatch({ type: "failed", channel: name });
      toast.error(`Couldn't join ${name}'s stage: ${errorMessage(error)}`);
    }
  }

  const invitation = shownInvitation(state);
  return (
    <>
      <InvitationDialog
        invitation={invitation}
        local={local}
        accepting={state.stage?.phase === "accepting"}
        onAccept={(shown) => void join(shown)}
        onDecline={(shown) => {
          dispatch({ type: "declined", channel: shown.channel });
          decline.mutate({ username: shown.channel });
        }}
      />
      {stage && (
        <OnStageBar
          channel={stage.channel}
          local={local}
          status={publisher.status}
          retrying={accept.isPending}
          onRetry={() => void join({ channel: stage.channel, at: new Date() })}
          leaving={leave.isPending}
          onLeave={() => leave.mutate({ username: stage.channel })}
        />
      )}
    </>
  );
}
