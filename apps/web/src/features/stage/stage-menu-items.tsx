import { UserMinus, UserPlus } from "lucide-react";
import { DropdownMenuItem, DropdownMenuSeparator } from "../../components/ui/dropdown-menu";
import { trpc } from "../../lib/trpc";
import { useInviteGuest, useRemoveGuest } from "./use-stage-actions";

/**
 * The chat user menu's stage actions, for the channel's creator while live: invite the author of a
 * message on camera, or take them off the stage when they are on it.
 */
export function StageMenuItems({ channel, username }: { channel: string; username: string }) {
  // Both already loaded by the channel page (its status and its player).
  const live = trpc.stream.byUsername.useQuery({ username: channel }).data?.isLive === true;
  const guests = trpc.stage.list.useQuery({ username: channel }, { enabled: live }).data;
  const invite = useInviteGuest(channel);
  const remove = useRemoveGuest(channel);
  if (!live) return null;
  const onStage = guests?.some((guest) => guest.username === username) ?? false;
  return (
    <>
      <DropdownMenuSeparator />
      {onStage ? (
        <DropdownMenuItem onSelect={() => remove.mutate({ username })}>
          <UserMinus /> Remove from stage
        </DropdownMenuItem>
      ) : (
        <DropdownMenuItem onSelect={() => invite.mutate({ username })}>
          <UserPlus /> Invite on stage
        </DropdownMenuItem>
      )}
    </>
  );
}
