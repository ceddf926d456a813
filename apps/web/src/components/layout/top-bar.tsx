import { Search, X } from "lucide-react";
import { lazy, Suspense, useState } from "react";
import { Link, useLocation } from "react-router";
import { useViewer } from "../../lib/viewer";
import { Logo } from "../logo";
import { Button } from "../ui/button";
import { Skeleton } from "../ui/skeleton";
import { MenuButton } from "./menu-button";
import { SearchBox } from "./search-box";

// Only signed-in viewers need the account menu (and its popover code); the drawer (a dialog) loads on first open.
const MobileMenu = lazy(() => import("./mobile-menu"));
const UserMenu = lazy(() => import("./user-menu").then((m) => ({ default: m.UserMenu })));
const NotificationBell = lazy(() => import("./notification-bell").then((m) => ({ default: m.NotificationBell })));

export function TopBar() {
  const viewer = useViewer();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const [menuLoaded, setMenuLoaded] = useState(false);
  const [searchOpen, setSearchOpen] = useState(false);
  const next = location.pathname === "/" ? "" : `?next=${encodeURIComponent(location.pathname)}`;

  return (
    <header className="fixed inset-x-0 top-0 z-40 border-b border-border bg-background/90 backdrop-blur supports-[backdrop-filter]:bg-background/75">
      <div className="flex h-14 items-center gap-1 px-2 sm:gap-3 sm:px-4">
        {menuLoaded ? (
          <Suspense fallback={<MenuButton aria-busy />}>
            <MobileMenu open={menuOpen} onOpenChange={setMenuOpen} viewer={viewer} next={next} />
          </Suspense>
        ) : (
          <MenuButton
            onClick={() => {
              setMenuLoaded(true);
              setMenuOpen(true);
            }}
          />
        )}

        <Logo className="sm:mr-4" />

        <div className="flex flex-1 justify-center">
          <SearchBox className="hidden w-full max-w-md md:block" />
        </div>

        <Button
          variant="ghost"
          size="icon"
          className="md:hidden"
          aria-label={searchOpen ? "Close search" : "Search"}
          aria-expanded={searchOpen}
          onClick={() => setSearchOpen((open) => !open)}
        >
          {searchOpen ? <X className="size-5" /> : <Search className="size-5" />}
        </Button>

        <div className="flex items-center gap-1.5 sm:gap-2">
          {viewer.isPending ? (
            <Skeleton className="size-8 rounded-full" />
          ) : viewer.me ? (
            <Suspense fallback={<Skeleton className="size-8 rounded-full" />}>
              <NotificationBell />
              <UserMenu />
            </Suspense>
          ) : (
            <>
              <Button asChild variant="ghost" size="sm" className="h-9 px-2.5 sm:px-3">
                <Link to={`/sign-in${next}`}>Sign in</Link>
              </Button>
              <Button asChild size="sm" className="h-9 px-2.5 sm:px-3">
                <Link to={`/sign-up${next}`}>Sign up</Link>
              </Button>
            </>
          )}
        </div>
      </div>
      {searchOpen && (
        <div className="border-t border-border px-3 py-2 md:hidden">
          <SearchBox autoFocus onDone={() => setSearchOpen(false)} />
        </div>
      )}
    </header>
  );
}
