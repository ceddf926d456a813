import { useState, type FormEvent } from "react";
import { Button } from "../../components/ui/button";
import { hintId } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { Label } from "../../components/ui/label";

interface Props {
  id: string;
  label: string;
  hint: string;
  unit: string;
  min: number;
  max: number;
  value: number;
  disabled: boolean;
  error?: string | undefined;
  onSave: (n: number) => void;
}

/** A whole number saved with its own Save button (slow-mode seconds, followers-only minutes). */
export function NumberSetting({ id, label, hint, unit, min, max, value, disabled, error, onSave }: Props) {
  const [draft, setDraft] = useState(String(value));
  const n = Number(draft);
  const valid = draft.trim() !== "" && Number.isInteger(n) && n >= min && n <= max;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (valid && n !== value) onSave(n);
  }

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-2 sm:flex-row sm:items-end sm:justify-between">
      <div className="grid gap-1">
        <Label htmlFor={id}>{label}</Label>
        <p
          id={hintId(id)}
          className={error ? "text-sm text-red-300" : valid ? "text-sm text-muted-foreground" : "text-sm text-amber-300"}
          role={error ? "alert" : undefined}
          data-field-error={error ? id : undefined}
        >
          {error ?? hint}
        </p>
      </div>
      <div className="flex items-center gap-2">
        <Input
          id={id}
          type="number"
          inputMode="numeric"
          min={min}
          max={max}
          value={draft}
          disabled={disabled}
          onChange={(e) => setDraft(e.target.value)}
          aria-invalid={Boolean(error) || !valid}
          aria-describedby={hintId(id)}
          className="w-28"
        />
        <span className="text-sm text-muted-foreground">{unit}</span>
        <Button type="submit" variant="secondary" disabled={disabled || !valid || n === value}>
          Save
        </Button>
      </div>
    </form>
  );
}
