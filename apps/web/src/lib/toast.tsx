import { lazy, Suspense, useSyncExternalStore } from "react";
import type { ExternalToast } from "sonner";

let wanted = false;
const listeners = new Set<() => void>();
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

function show(kind: "success" | "error", message: string, options?: ExternalToast) {
  if (!wanted) {
    wanted = true;
    listeners.forEach((listener) => listener());
  }
  void import("sonner").then(({ toast }) => toast[kind](message, options));
}

/**
 * sonner's toasts, with sonner (and its <Toaster>) loaded at the first toast instead of with the
 * page: most visits show none. A toast made before the Toaster has mounted still shows (sonner
 * replays toasts to a Toaster that subscribes late). ESLint keeps other files from importing sonner.
 */
export const toast = {
  success: (message: string, options?: ExternalToast) => show("success", message, options),
  error: (message: string, options?: ExternalToast) => show("error", message, options),
};

const SonnerToaster = lazy(() => import("sonner").then((m) => ({ default: m.Toaster })));

export function Toaster() {
  const show = useSyncExternalStore(subscribe, () => wanted);
  if (!show) return null;
  return (
    <Suspense fallback={null}>
      {/* At the top, over the header: never over the chat composer (bottom right on a desktop, the page's foot on a phone),
          nor over the top of the player, which starts just under the header. */}
      <SonnerToaster
        theme="dark"
        position="top-center"
        offset={{ top: 8 }}
        mobileOffset={{ top: 8, left: 8, right: 8 }}
        richColors
        closeButton
        toastOptions={{ className: "font-sans" }}
      />
    </Suspense>
  );
}
