import { Copy, Eye, EyeOff } from "lucide-react";
import { useState } from "react";
import { toast } from "../../lib/toast";
import { Field } from "../../components/ui/field";
import { Button } from "../../components/ui/button";
import { Input } from "../../components/ui/input";

async function copy(text: string, what: string) {
  try {
    await navigator.clipboard.writeText(text);
    toast.success(`${what} copied`);
  } catch {
    toast.error(`Couldn't copy the ${what.toLowerCase()}: select it and copy it yourself`);
  }
}

/** A read-only value with a Copy button; `secret` masks it until Reveal. */
export function CopyField({
  id,
  label,
  value,
  secret = false,
  hint,
}: {
  id: string;
  label: string;
  value: string;
  secret?: boolean;
  hint?: string;
}) {
  const [revealed, setRevealed] = useState(!secret);
  return (
    <Field id={id} label={label} hint={hint}>
      <div className="flex min-w-0 flex-wrap gap-2 sm:flex-nowrap">
        <Input
          id={id}
          readOnly
          value={value}
          type={revealed ? "text" : "password"}
          autoComplete="off"
          spellCheck={false}
          className="min-w-0 flex-1 basis-full font-mono sm:basis-auto"
          data-testid={id}
          onFocus={(event) => event.currentTarget.select()}
        />
        {secret && (
          <Button type="button" variant="outline" onClick={() => setRevealed((shown) => !shown)} aria-pressed={revealed}>
            {revealed ? <EyeOff aria-hidden /> : <Eye aria-hidden />} {revealed ? "Hide" : "Reveal"}
          </Button>
        )}
        <Button type="button" variant="outline" onClick={() => void copy(value, label)}>
          <Copy aria-hidden /> Copy<span className="sr-only"> {label.toLowerCase()}</span>
        </Button>
      </div>
    </Field>
  );
}
