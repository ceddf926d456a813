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
export const historyIndex = (state: unknown) =>
  state && typeof state === "object" && "idx" in state && typeof state.idx === "number" ? state.idx : null;

type Click = Pick<MouseEvent, "defaultPrevented" | "button" | "metaKey" | "ctrlKey" | "shiftKey" | "altKey">;

/**
 * Where a click on a link goes in the app (path, query, hash) when it would leave `guardedPathname`
 * and the guard must ask; null when the click is none of its business: another button or a modifier
 * (a new tab or window), a link opening elsewhere or downloading, another origin, the same page.
 */
export function guardedLinkTarget(
  click: Click,
  link: { href: string; target: string; download: boolean },
  origin: string,
  guardedPathname: string,
): string | null {
  if (click.defaultPrevented || click.button !== 0 || click.metaKey || click.ctrlKey || click.shiftKey || click.altKey) return null;
  if ((link.target && link.target !== "_self") || link.download) return null;
  const url = new URL(link.href);
  if (url.origin !== origin || url.pathname === guardedPathname) return null;
  return url.pathname + url.search + url.hash;
}

/**
 * Back or Forward from the guarded page's entry (`from`) to `to`, both history states: how far to go to
 * undo the move, and how far to go again to make it once the user chooses to leave; null for an entry
 * React Router did not write (a plain #anchor), which is undone differently.
 */
export function undoMove(from: unknown, to: unknown): { undo: number; redo: number } | null {
  const fromIndex = historyIndex(from);
  const toIndex = historyIndex(to);
  return fromIndex === null || toIndex === null ? null : { undo: fromIndex - toIndex, redo: toIndex - fromIndex };
}

/** A click on a same-origin link (React Router's Link and NavLink are <a> elements) that would leave the page. */
function onClick(event: MouseEvent) {
  const current = guard;
  if (!current) return;
  const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
  if (!(link instanceof HTMLAnchorElement)) return;
  const to = guardedLinkTarget(
    event,
    { href: link.href, target: link.target, download: link.hasAttribute("download") },
    window.location.origin,
    current.pathname,
  );
  if (to === null) return;
  event.preventDefault(); // Link then stays put (it navigates only when nothing prevented the click)
  current.ask(() => current.navigate(to));
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
  const move = undoMove(current.entry.state, event.state);
  if (move) {
    // Return to the page's entry, keeping the history as it was; leaving repeats the move.
    ignoreNextPop = true;
    window.history.go(move.undo);
    current.ask(() => window.history.go(move.redo));
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
// (Not in Node, where the unit tests import the pure helpers above.)
if (typeof document !== "undefined") {
  document.addEventListener("click", onClick, true);
  window.addEventListener("popstate", onPopState);
}

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
