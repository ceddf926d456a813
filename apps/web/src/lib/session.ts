import { useSyncExternalStore } from "react";

/** Better Auth's `GET /api/auth/get-session` answer: the signed-in user, or null. */
export interface Session {
  user: { id: string; name: string; email: string; username?: string | null };
  session: { id: string; expiresAt: string };
}

interface State {
  data: Session | null | undefined;
  isPending: boolean;
}

let state: State = { data: undefined, isPending: true };
let loading: Promise<void> | null = null;
const listeners = new Set<() => void>();

/**
 * Reads the session cookie's session again. The Better Auth client (lib/auth.ts) calls it after
 * signing in, up or out; the app does on start and when the tab comes back.
 */
export function refreshSession(): Promise<void> {
  loading = fetch("/api/auth/get-session", { credentials: "same-origin", headers: { accept: "application/json" } })
    .then((response) => (response.ok ? (response.json() as Promise<Session | null>) : null))
    .catch(() => null)
    .then((data) => {
      state = { data: data?.user ? data : null, isPending: false };
      listeners.forEach((listener) => listener());
    });
  return loading;
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!loading) void refreshSession();
  return () => listeners.delete(listener);
}

if (typeof document !== "undefined") {
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && listeners.size > 0) void refreshSession();
  });
}

/**
 * Who is signed in, like Better Auth's `useSession()` but without its client in the first load
 * (the client loads with the sign-in and sign-up pages).
 */
export function useSession(): State {
  return useSyncExternalStore(subscribe, () => state);
}
