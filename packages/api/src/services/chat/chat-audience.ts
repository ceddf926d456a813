import type { AuthSession } from "@onair/auth";
import type { ChatEvent } from "./chat-bus";
import type { ReadCache } from "../shared/read-cache";

/** How the signed-in user stands in a channel: its creator or an admin ("owner"), an appointed moderator, or neither. */
export type ChannelRole = "owner" | "moderator" | null;

export async function channelRoleOf(
  cache: Pick<ReadCache, "moderators">,
  channel: { id: string; ownerId: string },
  user: { id: string; role?: string | null | undefined } | null | undefined,
): Promise<ChannelRole> {
  if (!user) return null;
  if (user.id === channel.ownerId || user.role === "admin") return "owner";
  return (await cache.moderators(channel.id)).has(user.id) ? "moderator" : null;
}

/** A restriction or moderator-team change: not for everyone (see `chatAudience`). */
export function isTeamEvent(event: ChatEvent): event is Extract<ChatEvent, { type: "restricted" | "moderator" }> {
  return event.type === "restricted" || event.type === "moderator";
}

/**
 * Whether one subscriber of a channel's chat sees `event`. Messages, deletions and removals go to
 * everyone; a restriction or a moderator-team change only to the user it names and the channel's
 * moderators (creator, admins, appointed moderators), so guests never learn who was banned. The
 * session is read on the first such event (memoized per request); the team comes from the read cache.
 */
export function chatAudience(
  cache: Pick<ReadCache, "moderators">,
  channel: { id: string; ownerId: string },
  getSession: () => Promise<AuthSession | null>,
) {
  return async function sees(event: ChatEvent): Promise<boolean> {
    if (!isTeamEvent(event)) return true;
    const session = await getSession();
    if (!session) return false;
    if (session.user.id === event.userId) return true;
    return (await channelRoleOf(cache, channel, session.user)) !== null;
  };
}
