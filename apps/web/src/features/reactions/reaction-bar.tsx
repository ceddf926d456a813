import { errorMessage } from "../../lib/errors";
import { trpc } from "../../lib/trpc";
import { REACTION_KINDS } from "./reaction-kinds";

/** One tap, one reaction (`chat.react`): it floats over everyone's player. Shown to those who may chat. */
export function ReactionBar({ username }: { username: string }) {
  const react = trpc.chat.react.useMutation();
  return (
    <div className="flex flex-wrap items-center gap-1 border-t border-border px-3 py-1.5" data-testid="reaction-bar">
      <span className="mr-1 text-xs text-muted-foreground">React</span>
      {REACTION_KINDS.map(({ reaction, emoji, label }) => (
        <button
          key={reaction}
          type="button"
          aria-label={`React with ${label}`}
          title={label}
          onClick={() => react.mutate({ username, reaction })}
          className="inline-flex size-9 items-center justify-center rounded-md text-lg leading-none outline-none transition-transform hover:bg-accent active:scale-90 focus-visible:ring-2 focus-visible:ring-ring"
        >
          <span aria-hidden>{emoji}</span>
        </button>
      ))}
      {react.isError && (
        <p role="status" className="basis-full text-xs text-amber-300" data-testid="reaction-problem">
          {errorMessage(react.error)}
        </p>
      )}
    </div>
  );
}
