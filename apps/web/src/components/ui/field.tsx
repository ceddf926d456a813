import type { ReactNode } from "react";
import { cn } from "../../lib/utils";
import { Label } from "./label";

interface FieldProps {
  id: string;
  label: string;
  /** A hint shown under the control while there is no error. */
  hint?: ReactNode;
  error?: string | undefined;
  /** Right-aligned next to the label (e.g. a character count or a link). */
  aside?: ReactNode;
  className?: string;
  /** The control: give it `id`, and `aria-describedby={describedBy(id)}` + `aria-invalid` from here. */
  children: ReactNode;
}

export const hintId = (id: string) => `${id}-hint`;

export function Field({ id, label, hint, error, aside, className, children }: FieldProps) {
  return (
    <div className={cn("grid gap-2", className)}>
      <div className="flex items-center justify-between gap-3">
        <Label htmlFor={id}>{label}</Label>
        {aside && <span className="text-xs text-muted-foreground">{aside}</span>}
      </div>
      {children}
      {error ? (
        <p id={hintId(id)} className="text-xs font-medium text-red-300" role="alert" data-field-error={id}>
          {error}
        </p>
      ) : hint ? (
        <p id={hintId(id)} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
