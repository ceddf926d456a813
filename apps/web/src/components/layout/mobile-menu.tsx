import { Link } from "react-router";
import type { Viewer } from "../../lib/viewer";
import { Logo } from "../logo";
import { Button } from "../ui/button";
import { Sheet, SheetContent, SheetTrigger } from "../ui/sheet";
import { FollowingList } from "./following-list";
import { MenuButton } from "./menu-button";
import { NavList } from "./nav";

/** The drawer behind the top bar's menu button (small screens): a chunk of its own, loaded on first open. */
export default function MobileMenu({
  open,
  onOpenChange,
  viewer,
  next,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  viewer: Viewer;
  next: string;
}) {
  const close = () => onOpenChange(false);
  return (
    <Sheet open={open} onOpenChange={onOpenChange}>
      <SheetTrigger asChild>
        <MenuButton />
      </SheetTrigger>
      <SheetContent title="Menu">
        <div className="flex h-14 items-center border-b border-border px-4">
          <Logo />
        </div>
        <div className="min-h-0 flex-1 overflow-y-auto p-3">
          <NavList onNavigate={close} />
          <FollowingList onNavigate={close} />
        </div>
        {!viewer.isPending && !viewer.me && (
          <div className="mt-auto grid gap-2 border-t border-border p-4">
            <Button asChild onClick={close}>
              <Link to={`/sign-up${next}`}>Create an account</Link>
            </Button>
            <Button asChild variant="secondary" onClick={close}>
              <Link to={`/sign-in${next}`}>Sign in</Link>
            </Button>
          </div>
        )}
      </SheetContent>
    </Sheet>
  );
}
