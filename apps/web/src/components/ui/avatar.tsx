import { cn } from "../../lib/utils";

const hues = [350, 12, 32, 160, 190, 215, 255, 285, 320];

/** Initials on a colour derived from the name: no image uploads yet. */
export function Avatar({ name, className, live }: { name: string; className?: string; live?: boolean }) {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const hue = hues[hash % hues.length];
  // The initial is drawn by CSS (::before), not a text node: a control labelled "Account menu for bob"
  // would otherwise show "b bob" to tools that compare its visible text with its name.
  return (
    <span
      aria-hidden
      data-initial={name.slice(0, 1) || "?"}
      className={cn(
        "inline-flex size-9 shrink-0 items-center justify-center rounded-full text-sm font-bold text-white uppercase before:content-[attr(data-initial)]",
        live && "ring-2 ring-primary ring-offset-2 ring-offset-background",
        className,
      )}
      style={{ background: `linear-gradient(135deg, hsl(${hue} 70% 48%), hsl(${(hue! + 40) % 360} 70% 36%))` }}
    />
  );
}
