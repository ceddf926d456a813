import { cva, type VariantProps } from "class-variance-authority";
import type { ComponentProps } from "react";
import { cn } from "../../lib/utils";

const badgeVariants = cva("inline-flex items-center gap-1.5 rounded px-1.5 py-0.5 text-[11px] font-bold uppercase tracking-wider", {
  variants: {
    variant: {
      live: "bg-primary text-primary-foreground",
      offline: "bg-black/70 text-zinc-200 ring-1 ring-white/10 backdrop-blur",
      neutral: "bg-accent text-muted-foreground",
      pending: "bg-warning/15 text-amber-300",
      success: "bg-success/15 text-green-300",
      danger: "bg-destructive/15 text-red-300",
    },
  },
  defaultVariants: { variant: "neutral" },
});

export function Badge({ className, variant, ...props }: ComponentProps<"span"> & VariantProps<typeof badgeVariants>) {
  return <span className={cn(badgeVariants({ variant }), className)} {...props} />;
}

/** The red LIVE pill with its on-air dot. */
export function LiveBadge({ className }: { className?: string }) {
  return (
    <Badge variant="live" className={className}>
      <span className="size-1.5 rounded-full bg-white" aria-hidden />
      Live
    </Badge>
  );
}
