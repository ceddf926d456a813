import { lazy } from "react";
import { createBrowserRouter, Navigate, useParams } from "react-router";
import { AppShell } from "./components/layout/app-shell";
import { BecomeCreatorPage } from "./pages/become-creator";
import { ChannelPage } from "./pages/channel";
import { HomePage } from "./pages/home";
import { NotFoundPage, RouteErrorPage } from "./pages/not-found";
import { SignInPage } from "./pages/sign-in";
import { SignUpPage } from "./pages/sign-up";

// Creator and admin tools stay out of the home page's bundle.
const AdminPage = lazy(() => import("./pages/admin"));
const DashboardLayout = lazy(() => import("./pages/dashboard/layout"));
const StreamSettingsPage = lazy(() => import("./pages/dashboard/stream-settings"));
// LiveKit (publisher) loads only here; the channel page loads its player on demand.
const GoLivePage = lazy(() => import("./pages/dashboard/go-live"));
const EarningsPage = lazy(() => import("./pages/dashboard/earnings"));
const CommunityPage = lazy(() => import("./pages/dashboard/community"));
const WalletPage = lazy(() => import("./pages/wallet"));

export const router = createBrowserRouter([
  {
    element: <AppShell />,
    errorElement: <RouteErrorPage />,
    children: [
      { index: true, element: <HomePage /> },
      { path: "sign-in", element: <SignInPage /> },
      { path: "sign-up", element: <SignUpPage /> },
      { path: "become-creator", element: <BecomeCreatorPage /> },
      { path: "admin", element: <AdminPage /> },
      { path: "wallet", element: <WalletPage /> },
      {
        path: "dashboard",
        element: <DashboardLayout />,
        children: [
          { index: true, element: <StreamSettingsPage /> },
          { path: "stream", element: <GoLivePage /> },
          { path: "earnings", element: <EarningsPage /> },
          { path: "community", element: <CommunityPage /> },
        ],
      },
      { path: ":username", element: <ChannelPage /> },
      // The viewer URL of the app this grew from: old links keep working.
      { path: ":username/live", element: <RedirectToChannel /> },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
]);

function RedirectToChannel() {
  const { username = "" } = useParams();
  return <Navigate to={`/${encodeURIComponent(username)}`} replace />;
}
