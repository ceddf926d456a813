import { LogIn } from "lucide-react";
import type { ReactNode } from "react";
import { Link, useLocation } from "react-router";
import { useViewer } from "../lib/viewer";
import { EmptyState, ErrorState, PageLoader } from "./states";
import { Button } from "./ui/button";

/**
 * Renders `children` only for a signed-in viewer that passes `allow`; otherwise the right state:
 * loading, a sign-in prompt, or `denied`.
 */
export function Gate({
  allow,
  denied,
  children,
}: {
  allow: (viewer: ReturnType<typeof useViewer>) => boolean;
  denied: ReactNode;
  children: ReactNode;
}) {
  const viewer = useViewer();
  const location = useLocation();
  if (viewer.isPending) return <PageLoader />;
  if (!viewer.signedIn) {
    return (
      <EmptyState
        level={1}
        icon={<LogIn />}
        title="Sign in to continue"
        action={
          <Button asChild>
            <Link to={`/sign-in?next=${encodeURIComponent(location.pathname)}`}>Sign in</Link>
          </Button>
        }
      >
        This page needs an OnAir account.
      </EmptyState>
    );
  }
  if (viewer.error) return <ErrorState error={viewer.error} onRetry={() => void viewer.refetch()} />;
  return allow(viewer) ? children : denied;
}
