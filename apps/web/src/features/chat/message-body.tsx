import { useMemo } from "react";
import { parseMessage } from "./message-text";

/**
 * A message's text as React elements (never HTML): http(s) links open in a new tab without the
 * opener or our endorsement; @mentions stand out, the viewer's own name most.
 */
export function MessageBody({ text, selfUsername }: { text: string; selfUsername: string | undefined }) {
  const parts = useMemo(() => parseMessage(text, selfUsername), [text, selfUsername]);
  return (
    <span className="text-foreground/95">
      {parts.map((part, i) =>
        part.kind === "link" ? (
          <a
            key={i}
            href={part.href}
            target="_blank"
            rel="noopener nofollow ugc"
            className="text-sky-300 underline underline-offset-2 hover:text-sky-200 focus-visible:rounded-sm focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
          >
            {part.text}
          </a>
        ) : part.kind === "mention" ? (
          <span
            key={i}
            data-testid={part.self ? "mention-self" : "mention"}
            className={part.self ? "rounded bg-primary/25 px-0.5 font-semibold text-white" : "font-semibold text-foreground"}
          >
            {part.text}
          </span>
        ) : (
          part.text
        ),
      )}
    </span>
  );
}
