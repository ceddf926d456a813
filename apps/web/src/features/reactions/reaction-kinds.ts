import type { Reaction } from "@onair/api";

/** The reactions a viewer may send (`chat.react`), in the bar's order, with their emoji and names. */
export const REACTION_KINDS: { reaction: Reaction; emoji: string; label: string }[] = [
  { reaction: "heart", emoji: "❤️", label: "Heart" },
  { reaction: "fire", emoji: "🔥", label: "Fire" },
  { reaction: "laugh", emoji: "😂", label: "Laugh" },
  { reaction: "clap", emoji: "👏", label: "Clap" },
  { reaction: "wow", emoji: "😮", label: "Wow" },
];

export const emojiOf = (reaction: Reaction) => REACTION_KINDS.find((k) => k.reaction === reaction)?.emoji ?? null;
