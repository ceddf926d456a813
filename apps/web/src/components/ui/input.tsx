import type { ComponentProps } from "react";
import { cn } from "../../lib/utils";

export const fieldClass =
  "w-full rounded-md border border-input bg-[#111116] px-3 text-sm text-foreground placeholder:text-muted-foreground/70 transition-colors outline-none hover:border-[#3d3d4a] focus-visible:border-ring focus-visible:ring-2 focus-visible:ring-ring/30 focus-visible:outline-none disabled:opacity-50 aria-[invalid=true]:border-destructive aria-[invalid=true]:focus-visible:ring-destructive/30";

export function Input({ className, ...props }: ComponentProps<"input">) {
  return <input className={cn(fieldClass, "h-10", className)} {...props} />;
}

export function Textarea({ className, ...props }: ComponentProps<"textarea">) {
  return <textarea className={cn(fieldClass, "min-h-24 py-2 leading-relaxed", className)} {...props} />;
}
