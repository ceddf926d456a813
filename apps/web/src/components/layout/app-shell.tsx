import { lazy, Suspense } from "react";
import { Outlet } from "react-router";
import { useViewer } from "../../lib/viewer";
import { PageLoader } from "../states";
import { Sidebar } from "./nav";
import { useScrollRestoration } from "./scroll-restoration";
import { TopBar } from "./top-bar";

// Signed-in users only: invitations on stage (and being on one) from any page.
const StageInvites = lazy(() => import("../../features/stage/stage-invites").then((m) => ({ default: m.StageInvites })));

export function AppShell() {
  useScrollRestoration();
  const me = useViewer().me;
  return (
    <div className="min-h-dvh">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-primary px-4 py-2 font-semibold text-primary-foreground focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <TopBar />
      <Sidebar />
      <main id="main" tabIndex={-1} className="pt-14 outline-none lg:pl-60">
        <div className="mx-auto w-full max-w-[1600px] px-4 py-6 sm:px-6 lg:px-8 lg:py-8">
          {me?.username && (
            <Suspense fallback={null}>
              <StageInvites key={me.id} username={me.username} />
            </Suspense>
          )}
          <Suspense fallback={<PageLoader />}>
            <Outlet />
          </Suspense>
        </div>
      </main>
    </div>
  );
}
