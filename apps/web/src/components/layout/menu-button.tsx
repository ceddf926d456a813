import { Menu } from "lucide-react";
import type { ComponentProps } from "react";
import { Button } from "../ui/button";

/** The top bar's "Open menu" button (small screens). */
export function MenuButton(props: ComponentProps<typeof Button>) {
  return (
    <Button variant="ghost" size="icon" className="lg:hidden" aria-label="Open menu" {...props}>
      <Menu className="size-5" />
    </Button>
  );
}
