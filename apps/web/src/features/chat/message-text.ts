/**
 * A chat message's text cut into pieces the chat row renders as React elements (never as HTML):
 * plain text, links (http and https only) and @mentions. Pure: no DOM, no React.
 */
export type MessagePart =
  | { kind: "text"; text: string }
  | { kind: "link"; text: string; href: string }
  | { kind: "mention"; text: string; username: string; self: boolean };

// A candidate link: an explicit http(s) scheme, then anything up to whitespace or a character that
// cannot sit in a URL as typed. Anything else (javascript:, data:, www.…) stays text.
const LINK = /\bhttps?:\/\/[^\s<>"'`]+/giy;
// A username (3–30 letters, digits, underscores) after "@", not inside a word or an email address.
const MENTION = /@([a-zA-Z0-9_]{3,30})(?![a-zA-Z0-9_])/y;
const TRAILING = /[.,;:!?'")\]}*]+$/;

/** The URL's own characters without the sentence punctuation typed after it; a ")" stays when it closes a "(" in it. */
function trimLink(raw: string): string {
  let text = raw;
  for (;;) {
    const trailing = TRAILING.exec(text)?.[0];
    if (!trailing) return text;
    const last = text.at(-1)!;
    if (last === ")" && count(text, "(") >= count(text, ")")) return text;
    text = text.slice(0, -1);
  }
}

const count = (text: string, char: string) => text.split(char).length - 1;

/** The link's address when it is a well-formed http(s) URL, else null. */
export function safeHref(text: string): string | null {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/** Whether `text` mentions `username` (@name, any case, a whole name). */
export function mentions(text: string, username: string | undefined): boolean {
  if (!username) return false;
  return parseMessage(text, username).some((part) => part.kind === "mention" && part.self);
}

const isWordChar = (char: string | undefined) => char !== undefined && /[\w@.+-]/.test(char);

/** The message's text as parts, in order; joined, their texts give back the message exactly. */
export function parseMessage(text: string, selfUsername?: string): MessagePart[] {
  const parts: MessagePart[] = [];
  const self = selfUsername?.toLowerCase();
  let plain = "";
  const flush = () => {
    if (plain) parts.push({ kind: "text", text: plain });
    plain = "";
  };
  for (let i = 0; i < text.length;) {
    const char = text[i]!;
    if ((char === "h" || char === "H") && !isWordChar(text[i - 1])) {
      LINK.lastIndex = i;
      const raw = LINK.exec(text)?.[0];
      const linkText = raw ? trimLink(raw) : "";
      const href = linkText ? safeHref(linkText) : null;
      if (href) {
        flush();
        parts.push({ kind: "link", text: linkText, href });
        i += linkText.length;
        continue;
      }
    }
    if (char === "@" && !isWordChar(text[i - 1])) {
      MENTION.lastIndex = i;
      const match = MENTION.exec(text);
      if (match) {
        flush();
        const username = match[1]!;
        parts.push({ kind: "mention", text: match[0], username, self: username.toLowerCase() === self });
        i += match[0].length;
        continue;
      }
    }
    plain += char;
    i++;
  }
  flush();
  return parts;
}
