import { useCallback, useEffect, useState } from "react";
import { useLocation, useNavigate, type NavigateOptions } from "react-router";

/** The page that asks before the app leaves it (one at a time: the Go Live page while live). */
interface Guard {
  pathname: string;
  /** The page's history entry, to come back to. */
  entry: { state: unknown; url: string };
  /** Opens the question; `leave` runs if the answer is to leave. */
  ask: (leave: () => void) => void;
  navigate: (to: string) => void;
}

let guard: Guard | null = null;
/** Set while the guard undoes a Back or Forward: that move's popstate is nobody's business. */
let ignoreNextPop = false;

const leavesGuardedPage = (pathname: string) => guard !== null && pathname !== guard.pathname;

/** A history entry's index, as React Router's BrowserRouter records it in the entry's state. */
const historyIndex = (state: unknown) =>
  state && typeof state === "object" && "idx" in state && typeof state.idx === "number" ? state.idx : null;

/** A click on a same-origin link (React Router's Link and NavLink are <a> elements) that would leave the page. */
function onClick(event: MouseEvent) {
  const current = guard;
  if (!current || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
  if (!(link instanceof HTMLAnchorElement) || (link.target && link.target !== "_self") || link.hasAttribute("download")) return;
  const url = new URL(link.href);
  if (url.origin !== window.location.origin || !leavesGuardedPage(url.pathname)) return;
  event.preventDefault(); // Link then stays put (it navigates only when nothing prevented the click)
  current.ask(() => current.navigate(url.pathname + url.search + url.hash));
}

/** Back or Forward away from the page: undone before React Router hears of it, then asked. */
function onPopState(event: PopStateEvent) {
  if (ignoreNextPop) {
    ignoreNextPop = false;
    event.stopImmediatePropagation();
    return;
  }
  const current = guard;
  if (!current || !leavesGuardedPage(window.location.pathname)) return;
  event.stopImmediatePropagation();
  const from = historyIndex(current.entry.state);
  const to = historyIndex(event.state);
  if (from !== null && to !== null) {
    // Return to the page's entry, keeping the history as it was; leaving repeats the move.
    ignoreNextPop = true;
    window.history.go(from - to);
    current.ask(() => window.history.go(to - from));
  } else {
    // An entry React Router did not write (a plain #anchor): put the page back on top; leaving goes there.
    const away = window.location.pathname + window.location.search + window.location.hash;
    window.history.pushState(current.entry.state, "", current.entry.url);
    current.ask(() => current.navigate(away));
  }
}

// Installed when the app loads, before React Router's BrowserRouter adds its popstate listener:
// listeners on window run in the order they were added, so this one can stop a move React Router would follow.
// The click listener is on the document in the capture phase, before React's (on the root element).
document.addEventListener("click", onClick, true);
window.addEventListener("popstate", onPopState);

/**
 * While `when` holds, leaving this page in the app asks first: a click on an in-app link, a
 * `useGuardedNavigate()` call, and Back or Forward. `asking` is true while the question is open;
 * `stay()` and `leave()` answer it. Leaving the site (reload, closing the tab, another origin) is
 * not this: the page's own beforeunload/pagehide handle it.
 */
export function useLeaveGuard(when: boolean) {
  const { pathname, key } = useLocation();
  const navigate = useNavigate();
  const [pending, setPending] = useState<(() => void) | null>(null);

  useEffect(() => {
    if (!when) return;
    const self: Guard = {
      pathname,
      entry: { state: window.history.state as unknown, url: window.location.href },
      ask: (leave) =>
        setPending(() => () => {
          release();
          leave();
        }),
      navigate: (to) => void navigate(to),
    };
    const release = () => {
      if (guard === self) guard = null;
    };
    guard = self;
    return release;
  }, [when, pathname, key, navigate]);

  return {
    asking: pending !== null,
    stay: () => setPending(null),
    leave: () => {
      setPending(null);
      pending?.();
    },
  };
}

/** useNavigate for navigations that should ask before leaving a guarded page (see useLeaveGuard). */
export function useGuardedNavigate() {
  const navigate = useNavigate();
  return useCallback(
    (to: string, options?: NavigateOptions) => {
      const go = () => void navigate(to, options);
      if (guard && leavesGuardedPage(new URL(to, window.location.href).pathname)) guard.ask(go);
      else go();
    },
    [navigate],
  );
}
