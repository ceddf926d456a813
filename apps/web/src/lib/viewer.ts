import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useSession } from "./session";
import { trpc } from "./trpc";

const PENDING_REFRESH_MS = 10_000;

/** Who is looking: the session (cookie) plus `account.me` for role and creator status. */
export function useViewer() {
  const session = useSession();
  const signedIn = Boolean(session.data?.user);
  const me = trpc.account.me.useQuery(undefined, {
    enabled: signedIn,
    refetchOnWindowFocus: true,
    // While an application waits, an admin's decision reaches this page without a reload.
    refetchInterval: (query) => (query.state.data?.creatorStatus === "pending" ? PENDING_REFRESH_MS : false),
  });
  return {
    /** Still finding out whether someone is signed in and what they may do. */
    isPending: session.isPending || (signedIn && me.isPending),
    signedIn,
    me: signedIn ? me.data : undefined,
    isAdmin: signedIn && me.data?.role === "admin",
    isCreator: signedIn && me.data?.creatorStatus === "approved",
    error: me.error,
    refetch: me.refetch,
  };
}

export type Viewer = ReturnType<typeof useViewer>;

/** Sign out and forget everything cached for the previous account. */
export function useSignOut() {
  const queryClient = useQueryClient();
  return useCallback(async () => {
    // The auth client loads only when needed (lib/auth.ts); it refreshes the session when done.
    const { authClient } = await import("./auth");
    await authClient.signOut();
    queryClient.clear();
  }, [queryClient]);
}
