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
      {
        path: "dashboard",
        element: <DashboardLayout />,
        children: [{ index: true, element: <StreamSettingsPage /> }],
      },
      { path: ":username", element: <ChannelPage /> },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
]);
