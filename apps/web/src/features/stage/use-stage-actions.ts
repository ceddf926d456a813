import { errorMessage } from "../../lib/errors";
import { toast } from "../../lib/toast";
import { trpc } from "../../lib/trpc";

/** A server message without the field it names ("username: bob is banned…" → "bob is banned…"). */
const words = (error: unknown) => errorMessage(error).replace(/^username: /, "");

/** `stage.invite` with its toasts (a full stage, a restricted user, not live: the server's words). */
export function useInviteGuest(channel: string) {
  const utils = trpc.useUtils();
  return trpc.stage.invite.useMutation({
    onSuccess: (_, { username }) => toast.success(`${username} is invited on stage: they see it now`),
    onError: (error, { username }) => toast.error(`Couldn't invite ${username}: ${words(error)}`),
    onSettled: () => void utils.stage.list.invalidate({ username: channel }),
  });
}

/** `stage.remove` with its toasts; the channel's stage list is refreshed either way. */
export function useRemoveGuest(channel: string) {
  const utils = trpc.useUtils();
  return trpc.stage.remove.useMutation({
    onSuccess: (_, { username }) => toast.success(`${username} is off your stage`),
    onError: (error, { username }) => toast.error(`Couldn't remove ${username}: ${words(error)}`),
    onSettled: () => void utils.stage.list.invalidate({ username: channel }),
  });
}
