import { lazy } from "react";
import { createBrowserRouter, Navigate, useParams } from "react-router";
import { AppShell } from "./components/layout/app-shell";
import { HomePage } from "./pages/home";
import { NotFoundPage, RouteErrorPage } from "./pages/not-found";

// Only the home page is in the first load; every other page is a chunk of its own. A channel page's
// HTML preloads its chunk (and the player's, when live): see apps/server/src/web.ts.
const ChannelPage = lazy(() => import("./pages/channel").then((m) => ({ default: m.ChannelPage })));
// The auth client (Better Auth) loads with these two pages only.
const SignInPage = lazy(() => import("./pages/sign-in").then((m) => ({ default: m.SignInPage })));
const SignUpPage = lazy(() => import("./pages/sign-up").then((m) => ({ default: m.SignUpPage })));
const ForgotPasswordPage = lazy(() => import("./pages/account/forgot-password").then((m) => ({ default: m.ForgotPasswordPage })));
const ResetPasswordPage = lazy(() => import("./pages/account/reset-password").then((m) => ({ default: m.ResetPasswordPage })));
const VerifyEmailPage = lazy(() => import("./pages/account/verify-email").then((m) => ({ default: m.VerifyEmailPage })));
const BecomeCreatorPage = lazy(() => import("./pages/become-creator").then((m) => ({ default: m.BecomeCreatorPage })));
const AdminPage = lazy(() => import("./pages/admin"));
const DashboardLayout = lazy(() => import("./pages/dashboard/layout"));
const StreamSettingsPage = lazy(() => import("./pages/dashboard/stream-settings"));
// LiveKit (publisher) loads only here; the channel page loads its player on demand.
const GoLivePage = lazy(() => import("./pages/dashboard/go-live"));
const EarningsPage = lazy(() => import("./pages/dashboard/earnings"));
const StreamingSoftwarePage = lazy(() => import("./pages/dashboard/streaming-software"));
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
      { path: "forgot-password", element: <ForgotPasswordPage /> },
      { path: "reset-password", element: <ResetPasswordPage /> },
      { path: "verify-email", element: <VerifyEmailPage /> },
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
