import { lazy } from "react";
import { BrowserRouter, Navigate, Route, Routes, useParams } from "react-router";
import { AppShell } from "./components/layout/app-shell";
import { HomePage } from "./pages/home";
import { NotFoundPage, RouteErrorBoundary } from "./pages/not-found";

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

/** The app's routes. A declarative router (not a data router): its core stays out of the first load. */
export function App() {
  return (
    <BrowserRouter>
      <RouteErrorBoundary>
        <Routes>
          <Route element={<AppShell />}>
            <Route index element={<HomePage />} />
            <Route path="sign-in" element={<SignInPage />} />
            <Route path="sign-up" element={<SignUpPage />} />
            <Route path="forgot-password" element={<ForgotPasswordPage />} />
            <Route path="reset-password" element={<ResetPasswordPage />} />
            <Route path="verify-email" element={<VerifyEmailPage />} />
            <Route path="become-creator" element={<BecomeCreatorPage />} />
            <Route path="admin" element={<AdminPage />} />
            <Route path="wallet" element={<WalletPage />} />
            <Route path="dashboard" element={<DashboardLayout />}>
              <Route index element={<StreamSettingsPage />} />
              <Route path="stream" element={<GoLivePage />} />
              <Route path="earnings" element={<EarningsPage />} />
              <Route path="software" element={<StreamingSoftwarePage />} />
              <Route path="community" element={<CommunityPage />} />
            </Route>
            <Route path=":username" element={<ChannelPage />} />
            {/* The viewer URL of the app this grew from: old links keep working. */}
            <Route path=":username/live" element={<RedirectToChannel />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </RouteErrorBoundary>
    </BrowserRouter>
  );
}

function RedirectToChannel() {
  const { username = "" } = useParams();
  return <Navigate to={`/${encodeURIComponent(username)}`} replace />;
}
