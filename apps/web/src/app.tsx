import { lazy } from "react";
import { createBrowserRouter } from "react-router";
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
const StreamingSoftwarePage = lazy(() => import("./pages/dashboard/streaming-software"));
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
          { path: "software", element: <StreamingSoftwarePage /> },
        ],
      },
      { path: ":username", element: <ChannelPage /> },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
]);
