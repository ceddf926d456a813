import { errorMessage } from "../../lib/errors";
import { trpc } from "../../lib/trpc";
import { formatMinutes } from "../moderation/timeouts";
import { parseCommand, type ChatCommand, type CommandRole } from "./chat-commands";

/**
 * Runs a moderator's chat command (`/timeout`, `/ban`, `/unban`, `/mod`) through the same procedures
 * as the moderation menus. `run` resolves with what to tell the user: `ok` false when the command was
 * refused (by the parser or the server), with the reason. Nothing is ever sent as chat text.
 */
export function useChatCommands(channel: string, role: CommandRole) {
  const utils = trpc.useUtils();
  const timeout = trpc.moderation.timeout.useMutation();
  const ban = trpc.moderation.ban.useMutation();
  const unban = trpc.moderation.unban.useMutation();
  const mod = trpc.moderation.addModerator.useMutation();

  async function execute(command: ChatCommand): Promise<string> {
    const { username } = command;
    switch (command.name) {
      case "timeout": {
        const { minutes, reason } = command;
        const done = await timeout.mutateAsync({ channel, username, minutes, reason });
        return `${done.username} is timed out for ${formatMinutes(minutes)}`;
      }
      case "ban":
        return `${(await ban.mutateAsync({ channel, username, reason: command.reason })).username} is banned from chat`;
      case "unban": {
        const done = await unban.mutateAsync({ channel, username });
        return done.lifted ? `${done.username}'s restriction is lifted` : `${done.username} was not restricted`;
      }
      case "mod": {
        const done = await mod.mutateAsync({ channel, username });
        void utils.moderation.moderators.invalidate({ channel });
        return done.changed ? `${done.username} is now a moderator` : `${done.username} is a moderator already`;
      }
    }
  }

  return {
    pending: timeout.isPending || ban.isPending || unban.isPending || mod.isPending,
    async run(text: string): Promise<{ ok: boolean; message: string }> {
      const parsed = parseCommand(text, role);
      if (!parsed.ok) return { ok: false, message: parsed.error };
      try {
        const message = await execute(parsed.command);
        void utils.moderation.list.invalidate({ channel });
        return { ok: true, message };
      } catch (error) {
        return { ok: false, message: `/${parsed.command.name} failed: ${errorMessage(error)}` };
      }
    },
  };
}
