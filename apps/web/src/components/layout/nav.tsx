import { Home, Radio, ShieldCheck, Sparkles, Video } from "lucide-react";
import type { ComponentType } from "react";
import { NavLink } from "react-router";
import { cn } from "../../lib/utils";
import { useViewer } from "../../lib/viewer";
import { FollowingList } from "./following-list";

interface Item {
  to: string;
  label: string;
  icon: ComponentType<{ className?: string }>;
  end?: boolean;
}

/** What this viewer may open, in sidebar order. */
export function useNavItems(): Item[] {
  const viewer = useViewer();
  const items: Item[] = [{ to: "/", label: "Home", icon: Home, end: true }];
  if (viewer.isCreator) {
    items.push({ to: "/dashboard/stream", label: "Go Live", icon: Video });
    items.push({ to: "/dashboard", label: "Creator dashboard", icon: Radio, end: true });
  } else if (!viewer.isPending) items.push({ to: "/become-creator", label: "Become a creator", icon: Sparkles });
  if (viewer.isAdmin) items.push({ to: "/admin", label: "Admin", icon: ShieldCheck });
  return items;
}

export function NavList({ onNavigate }: { onNavigate?: () => void }) {
  const items = useNavItems();
  return (
    <nav aria-label="Main">
      <ul className="grid gap-1">
        {items.map(({ to, label, icon: Icon, end }) => (
          <li key={to}>
            <NavLink
              to={to}
              end={end}
              onClick={onNavigate}
              className={({ isActive }) =>
                cn(
                  "flex items-center gap-3 rounded-md px-3 py-2.5 text-sm font-medium text-muted-foreground transition-colors outline-none hover:bg-accent hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring",
                  isActive && "bg-accent text-foreground [&>svg]:text-brand",
                )
              }
            >
              <Icon className="size-[18px]" />
              {label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function Sidebar() {
  return (
    <aside className="fixed top-14 bottom-0 left-0 z-30 hidden w-60 flex-col border-r border-border bg-background/95 lg:flex">
      <div className="flex-1 overflow-y-auto p-3">
        <p className="px-3 pt-2 pb-2 text-[11px] font-semibold tracking-widest text-muted-foreground/80 uppercase">Browse</p>
        <NavList />
        <FollowingList />
      </div>
      <div className="border-t border-border p-4 text-xs text-muted-foreground">
        <p className="font-semibold text-foreground/80">OnAir</p>
        <p className="mt-1 leading-relaxed">Live, together. Streams from creators you'll love.</p>
      </div>
    </aside>
  );
}
