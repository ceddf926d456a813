import { SendHorizontal } from "lucide-react";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import type { ChatMessage } from "@onair/api";
import { errorCode, errorMessage } from "../../lib/errors";
import { retryable, trpc } from "../../lib/trpc";
import { cn } from "../../lib/utils";
import { isCommand, type CommandRole } from "./chat-commands";
import { useChatCommands } from "./use-chat-commands";

export const MAX_CHARS = 500;

/** This message's own id (`chat.send`'s clientMessageId), kept across retries. */
const newMessageId = () =>
  typeof crypto.randomUUID === "function" ? crypto.randomUUID() : `m-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

interface Props {
  username: string;
  /** Why the caller can't send (the input is disabled), or null. */
  refusal: string | null;
  /** Seconds to wait after a send (slow mode for non-moderators), or 0. */
  cooldownSeconds: number;
  describedBy?: string | undefined;
  /** How the caller stands in the channel: who may use which chat command (`/timeout`, `/ban`, `/unban`, `/mod`). */
  channelRole: CommandRole;
  onSent: (message: ChatMessage) => void;
  /** The server refused (FORBIDDEN / UNAUTHORIZED): the rules changed, ask again. */
  onRefused: () => void;
}

function retryAfter(error: unknown): number | null {
  const data = (error as { data?: { retryAfterSeconds?: unknown } } | null)?.data;
  return typeof data?.retryAfterSeconds === "number" ? data.retryAfterSeconds : null;
}

/** Seconds left until `until` (ms epoch), ticking; 0 once passed. */
function useCountdown(until: number) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until <= Date.now()) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [until]);
  return Math.max(0, Math.ceil((until - now) / 1000));
}

export function ChatComposer({ username, refusal, cooldownSeconds, describedBy, channelRole, onSent, onRefused }: Props) {
  const inputId = useId();
  const errorId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  /** What the last chat command did. */
  const [done, setDone] = useState<string | null>(null);
  const commands = useChatCommands(username, channelRole);
  // After a send in slow mode, or a TOO_MANY_REQUESTS: until when, and why.
  const [cooldown, setCooldown] = useState({ until: 0, slow: true });
  const wait = useCountdown(cooldown.until);
  // The creator changed slow mode: the old wait no longer applies (the server will say if one does).
  const [lastCooldownSeconds, setLastCooldownSeconds] = useState(cooldownSeconds);
  if (lastCooldownSeconds !== cooldownSeconds) {
    setLastCooldownSeconds(cooldownSeconds);
    setCooldown({ until: 0, slow: true });
  }

  const send = trpc.chat.send.useMutation({
    // A send that failed on the way (network, server restarting) is tried again with the same
    // clientMessageId: the server stores it once however many attempts reach it.
    retry: (failures, error) => retryable(error) && failures < 4,
    retryDelay: (attempt) => Math.min(500 * 2 ** attempt, 4000),
    onSuccess: (message) => {
      setProblem(null);
      onSent(message);
      if (cooldownSeconds > 0) setCooldown({ until: Date.now() + cooldownSeconds * 1000, slow: true });
    },
    onError: (error, { text: unsent }) => {
      // The text comes back, unless the user has started the next message meanwhile.
      setText((current) => (current === "" ? unsent : current));
      const code = errorCode(error);
      if (code === "TOO_MANY_REQUESTS") {
        // The countdown says it, and keeps saying it correctly as the seconds pass.
        setCooldown({
          until: Date.now() + (retryAfter(error) ?? Math.max(cooldownSeconds, 1)) * 1000,
          slow: /slow mode/i.test(error.message),
        });
        setProblem(null);
        return;
      }
      if (code === "FORBIDDEN" || code === "UNAUTHORIZED") onRefused();
      setProblem(errorMessage(error));
    },
  });

  const trimmed = text.trim();
  const disabled = refusal !== null;
  const over = text.length > MAX_CHARS;
  const command = isCommand(trimmed);
  // A command is never chat: slow mode does not hold it back.
  const canSubmit = !disabled && trimmed.length > 0 && !over && (command ? !commands.pending : wait === 0 && !send.isPending);

  function submit(event: FormEvent) {
    event.preventDefault();
    // Sending from the Send button (keyboard) keeps the keyboard in the composer: the button disables while sending.
    inputRef.current?.focus();
    if (!canSubmit) return;
    setDone(null);
    if (command) {
      setText("");
      void commands.run(trimmed).then((result) => {
        if (result.ok) return setDone(result.message);
        setText((current) => (current === "" ? trimmed : current));
        setProblem(result.message);
      });
      return;
    }
    // Cleared at once: the next message can be typed while this one is on its way (and its row may
    // arrive from the chat stream before the answer does).
    setText("");
    send.mutate({ username, text: trimmed, clientMessageId: newMessageId() });
  }

  const shownProblem = problem;
  const waiting = cooldown.slow ? `Slow mode: you can send again in ${wait}s` : `Slow down: wait ${wait} s`;
  return (
    <form onSubmit={submit} className="grid gap-1.5 border-t border-border p-3" aria-label="Send a chat message">
      <label htmlFor={inputId} className="sr-only">
        Chat message
      </label>
      <div className="flex items-center gap-2">
        <input
          ref={inputRef}
          id={inputId}
          value={text}
          onChange={(event) => {
            setText(event.target.value.replace(/[\r\n]+/g, " "));
            if (problem) setProblem(null);
            if (done) setDone(null);
          }}
          disabled={disabled}
          placeholder={disabled ? refusal : "Send a message"}
          maxLength={MAX_CHARS}
          autoComplete="off"
          enterKeyHint="send"
          aria-invalid={over || Boolean(shownProblem)}
          aria-describedby={[describedBy, shownProblem && errorId, `${inputId}-count`].filter(Boolean).join(" ")}
          data-testid="chat-input"
          className="h-10 min-w-0 flex-1 rounded-md border border-input bg-[#111116] px-3 text-sm placeholder:text-muted-foreground/70 outline-none focus-visible:border-ring focus-visible:ring-2 focus-visible:ring-ring/30 disabled:cursor-not-allowed disabled:opacity-60"
        />
        <button
          type="submit"
          disabled={!canSubmit}
          aria-label={wait > 0 ? `Wait ${wait}s to send` : "Send message"}
          className="inline-flex h-10 min-w-10 shrink-0 items-center justify-center rounded-md bg-primary px-3 text-sm font-semibold text-primary-foreground tabular-nums outline-none hover:bg-primary-hover focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2 focus-visible:ring-offset-background disabled:cursor-not-allowed disabled:opacity-50"
        >
          {wait > 0 ? `${wait}s` : <SendHorizontal className="size-4" aria-hidden />}
        </button>
      </div>
      <div className="flex min-h-4 items-start justify-between gap-3 text-xs">
        <p
          id={errorId}
          role={shownProblem ? "alert" : done ? "status" : undefined}
          className={cn(
            "min-w-0 break-words",
            shownProblem ? "text-red-300" : done ? "text-emerald-300" : wait > 0 ? "text-amber-300" : "text-muted-foreground",
          )}
          data-testid="chat-composer-status"
        >
          {shownProblem ?? done ?? (wait > 0 ? waiting : disabled ? "" : "Enter to send")}
        </p>
        <span
          id={`${inputId}-count`}
          className={cn("shrink-0 tabular-nums", text.length > MAX_CHARS - 50 ? "text-amber-300" : "text-muted-foreground")}
        >
          <span className="sr-only">Characters: </span>
          {text.length}/{MAX_CHARS}
        </span>
      </div>
    </form>
  );
}
