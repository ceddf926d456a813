import { Coins, ExternalLink, MonitorUp, Radio, Settings2, Sparkles, Users } from "lucide-react";
import { Suspense } from "react";
import { Link, NavLink, Outlet } from "react-router";
import { Gate } from "../../components/gate";
import { EmptyState, PageLoader } from "../../components/states";
import { Button } from "../../components/ui/button";
import { trpc } from "../../lib/trpc";
import { cn } from "../../lib/utils";
import { useViewer } from "../../lib/viewer";

const sections = [
  { to: "/dashboard/stream", label: "Go Live", icon: Radio, end: false },
  { to: "/dashboard", label: "Stream settings", icon: Settings2, end: true },
  { to: "/dashboard/earnings", label: "Earnings", icon: Coins, end: false },
  { to: "/dashboard/software", label: "Streaming software", icon: MonitorUp, end: false, ingress: true },
  { to: "/dashboard/community", label: "Community", icon: Users, end: false },
];

export default function DashboardLayout() {
  return (
    <>
      <title>Creator dashboard · OnAir</title>
      <Gate allow={(viewer) => viewer.isCreator} denied={<NotACreator />}>
        <Dashboard />
      </Gate>
    </>
  );
}

function Dashboard() {
  const { me } = useViewer();
  // Streaming software only where the server offers it (INGRESS=off hides it).
  const ingress = trpc.ingress.available.useQuery(undefined, { staleTime: Infinity });
  return (
    <div>
      <header className="mb-6 flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <p className="text-xs font-bold tracking-[0.2em] text-brand uppercase">Creator dashboard</p>
          <h1 className="mt-1.5 text-2xl font-bold tracking-tight sm:text-3xl">Your channel</h1>
        </div>
        {me && (
          <Button asChild variant="outline">
            <Link to={`/${me.username}`}>
              <ExternalLink /> View channel
            </Link>
          </Button>
        )}
      </header>
      <div className="flex flex-col gap-6 2xl:flex-row 2xl:items-start">
        <nav aria-label="Dashboard" className="shrink-0 2xl:sticky 2xl:top-22 2xl:w-52">
          {/* Wrapped, not scrolled: on a phone every tab shows in full (none is cut at the edge). */}
          <ul className="flex flex-wrap gap-1 2xl:flex-col 2xl:flex-nowrap">
            {sections
              .filter((section) => !section.ingress || ingress.data)
              .map(({ to, label, icon: Icon, end }) => (
                <li key={to}>
                  <NavLink
                    to={to}
                    end={end}
                    className={({ isActive }) =>
                      cn(
                        "flex items-center gap-2.5 rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap text-muted-foreground outline-none hover:bg-accent hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring",
                        isActive && "bg-accent text-foreground [&>svg]:text-brand",
                      )
                    }
                  >
                    <Icon className="size-4" />
                    {label}
                  </NavLink>
                </li>
              ))}
          </ul>
        </nav>
        <div className="min-w-0 flex-1">
          <Suspense fallback={<PageLoader />}>
            <Outlet />
          </Suspense>
        </div>
      </div>
    </div>
  );
}

function NotACreator() {
  return (
    <EmptyState
      level={1}
      icon={<Sparkles />}
      title="The dashboard is for creators"
      action={
        <Button asChild>
          <Link to="/become-creator">Become a creator</Link>
        </Button>
      }
    >
      Apply to become a creator. Once an admin approves you, your channel and stream settings live here.
    </EmptyState>
  );
}
