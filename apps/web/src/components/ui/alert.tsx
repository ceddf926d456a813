import { cva, type VariantProps } from "class-variance-authority";
import { AlertCircle, CheckCircle2, Info } from "lucide-react";
import type { ComponentProps } from "react";
import { cn } from "../../lib/utils";

const alertVariants = cva("flex gap-3 rounded-lg border px-4 py-3 text-sm [&>svg]:mt-0.5 [&>svg]:size-4 [&>svg]:shrink-0", {
  variants: {
    variant: {
      error: "border-destructive/40 bg-destructive/10 text-red-200",
      info: "border-sky-500/30 bg-sky-500/10 text-sky-100",
      success: "border-success/30 bg-success/10 text-green-100",
    },
  },
  defaultVariants: { variant: "info" },
});

const icons = { error: AlertCircle, info: Info, success: CheckCircle2 };

export function Alert({ className, variant, children, ...props }: ComponentProps<"div"> & VariantProps<typeof alertVariants>) {
  const Icon = icons[variant ?? "info"];
  return (
    <div role={variant === "error" ? "alert" : "status"} className={cn(alertVariants({ variant }), className)} {...props}>
      <Icon aria-hidden />
      <div className="min-w-0 flex-1 leading-relaxed">{children}</div>
    </div>
  );
}
