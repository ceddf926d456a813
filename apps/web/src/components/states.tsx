import { AlertTriangle, Loader2, RotateCw } from "lucide-react";
import type { ReactNode } from "react";
import { errorMessage } from "../lib/errors";
import { cn } from "../lib/utils";
import { Button } from "./ui/button";

interface EmptyStateProps {
  icon?: ReactNode;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  className?: string;
  /** 1 when the message is the whole page (a gate): every page has an h1. */
  level?: 1 | 2;
}

/** A friendly, centred message with an optional call to action. */
export function EmptyState({ icon, title, children, action, className, level = 2 }: EmptyStateProps) {
  const Heading = level === 1 ? "h1" : "h2";
  return (
    <section
      className={cn(
        "flex flex-col items-center justify-center gap-4 rounded-xl border border-dashed border-border bg-card/40 px-6 py-14 text-center",
        className,
      )}
    >
      {icon && (
        <div className="flex size-14 items-center justify-center rounded-full bg-accent text-muted-foreground [&_svg]:size-6">{icon}</div>
      )}
      {/* Long unbroken words (a search for 100 letters) wrap instead of widening the page. */}
      <div className="grid max-w-md min-w-0 gap-2 [overflow-wrap:anywhere]">
        <Heading className="text-xl font-bold tracking-tight">{title}</Heading>
        {children && <div className="text-sm leading-relaxed text-muted-foreground">{children}</div>}
      </div>
      {action && <div className="mt-2 flex flex-wrap items-center justify-center gap-3">{action}</div>}
    </section>
  );
}

export function ErrorState({
  error,
  onRetry,
  title = "We couldn't load this",
  className,
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
  className?: string;
}) {
  return (
    <EmptyState
      className={cn("border-destructive/30", className)}
      icon={<AlertTriangle className="text-red-300" />}
      title={title}
      action={
        onRetry && (
          <Button variant="secondary" onClick={onRetry}>
            <RotateCw /> Try again
          </Button>
        )
      }
    >
      {errorMessage(error)}
    </EmptyState>
  );
}

export function PageLoader({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="flex min-h-[40vh] items-center justify-center" role="status">
      <Loader2 className="size-6 animate-spin text-muted-foreground" aria-hidden />
      <span className="sr-only">{label}</span>
    </div>
  );
}

/** Page heading used across the app. */
export function PageHeader({ title, description, children }: { title: string; description?: ReactNode; children?: ReactNode }) {
  return (
    <header className="mb-6 flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
      <div className="grid gap-1.5">
        <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{title}</h1>
        {description && <p className="max-w-2xl text-sm text-muted-foreground sm:text-base">{description}</p>}
      </div>
      {children}
    </header>
  );
}
