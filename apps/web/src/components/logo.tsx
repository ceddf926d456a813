import { Link } from "react-router";
import { cn } from "../lib/utils";

/** The red "on air" dot: a solid light with a slow pulse ring around it. */
export function OnAirDot({ className, pulse = true }: { className?: string; pulse?: boolean }) {
  return (
    <span className={cn("relative inline-flex size-2.5", className)} aria-hidden>
      {pulse && <span className="absolute inset-0 rounded-full bg-primary animate-on-air" />}
      <span className="relative inline-flex size-full rounded-full bg-primary shadow-[0_0_10px_2px] shadow-primary/60" />
    </span>
  );
}

export function Logo({ className }: { className?: string }) {
  return (
    <Link
      to="/"
      aria-label="OnAir home"
      className={cn(
        "group inline-flex shrink-0 items-center gap-2 rounded-md px-1 py-1 text-lg font-black tracking-tight sm:text-xl outline-none focus-visible:ring-2 focus-visible:ring-ring",
        className,
      )}
    >
      <span className="relative flex size-7 items-center justify-center rounded-lg border border-primary/40 bg-primary/10">
        <OnAirDot />
      </span>
      <span>
        On<span className="text-brand">Air</span>
      </span>
    </Link>
  );
}
