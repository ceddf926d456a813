import { Ban, Clock, EyeOff, MoreVertical, Trash2 } from "lucide-react";
import { useState } from "react";
import { toast } from "../../lib/toast";
import { errorMessage } from "../../lib/errors";
import { trpc } from "../../lib/trpc";
import { RestrictDialog, type RestrictRequest } from "../moderation/restrict-dialog";
import { StageMenuItems } from "../stage/stage-menu-items";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "../../components/ui/dropdown-menu";

export interface ModerationTarget {
  /** The channel owner's username. */
  channel: string;
  messageId: number;
  username: string;
}

/** A moderator's actions on one message, each confirmed with a toast (blocking: the creator's and admins' only). */
export function ModeratorMenu({ target, onOpenChange }: { target: ModerationTarget; onOpenChange: (open: boolean) => void }) {
  // Timeout and ban ask how long and why in a dialog, which outlives the menu.
  const [restrict, setRestrict] = useState<RestrictRequest | null>(null);
  return (
    <>
      <DropdownMenu modal={false} onOpenChange={onOpenChange}>
        <DropdownMenuTrigger
          aria-label={`Moderate ${target.username}'s message`}
          className="absolute top-1 right-1.5 flex size-7 items-center justify-center rounded-md text-muted-foreground opacity-0 outline-none group-hover:opacity-100 hover:bg-accent hover:text-foreground focus-visible:opacity-100 focus-visible:ring-2 focus-visible:ring-ring data-[state=open]:bg-accent data-[state=open]:opacity-100 pointer-coarse:opacity-100"
        >
          <MoreVertical className="size-4" aria-hidden />
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end" className="min-w-52">
          <ModeratorActions
            target={target}
            onRestrict={(kind) => setRestrict({ kind, channel: target.channel, username: target.username })}
          />
        </DropdownMenuContent>
      </DropdownMenu>
      <RestrictDialog request={restrict} onClose={() => setRestrict(null)} />
    </>
  );
}

/** Mounted only while the menu is open; the mutations' callbacks still run after it closes. */
function ModeratorActions({ target, onRestrict }: { target: ModerationTarget; onRestrict: (kind: RestrictRequest["kind"]) => void }) {
  const { channel, messageId, username } = target;
  const utils = trpc.useUtils();
  // Already loaded by the chat panel: the caller's standing in this channel.
  const owner = trpc.chat.permission.useQuery({ username: channel }).data?.channelRole === "owner";
  const done = (text: string) => () => {
    toast.success(text);
    void utils.moderation.list.invalidate({ channel });
  };
  const failed = (what: string) => (error: unknown) => toast.error(`${what} failed: ${errorMessage(error)}`);

  const remove = trpc.moderation.deleteMessage.useMutation({
    onSuccess: () => toast.success("Message deleted"),
    onError: failed("Delete"),
  });
  const block = trpc.moderation.block.useMutation({ onSuccess: done(`${username} is blocked from watching`), onError: failed("Block") });

  return (
    <>
      <DropdownMenuLabel className="truncate text-xs text-muted-foreground">Moderate {username}</DropdownMenuLabel>
      <DropdownMenuItem onSelect={() => remove.mutate({ channel, messageId })}>
        <Trash2 /> Delete message
      </DropdownMenuItem>
      <DropdownMenuItem onSelect={() => onRestrict("timeout")}>
        <Clock /> Timeout…
      </DropdownMenuItem>
      <DropdownMenuSeparator />
      <DropdownMenuItem className="text-red-300" onSelect={() => onRestrict("ban")}>
        <Ban /> Ban from chat…
      </DropdownMenuItem>
      {owner && (
        <DropdownMenuItem className="text-red-300" onSelect={() => block.mutate({ channel, username })}>
          <EyeOff /> Block from watching
        </DropdownMenuItem>
      )}
      {owner && <StageMenuItems channel={channel} username={username} />}
    </>
  );
}
