import { useLayoutEffect, useRef } from "react";
import { NavigationType, useLocation, useNavigationType } from "react-router";

/** How far each history entry (by its location key) was scrolled, for Back and Forward. */
const positions = new Map<string, number>();

/**
 * A new page starts at the top; Back and Forward return to where that entry was scrolled (React
 * Router's <ScrollRestoration> needs its data router).
 */
export function useScrollRestoration() {
  const { key, pathname } = useLocation();
  const navigationType = useNavigationType();
  const shownPath = useRef(pathname);

  useLayoutEffect(() => {
    window.history.scrollRestoration = "manual";
  }, []);

  useLayoutEffect(() => {
    const saved = positions.get(key);
    if (navigationType === NavigationType.Pop) {
      if (saved !== undefined) window.scrollTo(0, saved);
    } else if (pathname !== shownPath.current) {
      window.scrollTo(0, 0);
    }
    shownPath.current = pathname;
    const save = () => positions.set(key, window.scrollY);
    window.addEventListener("scroll", save, { passive: true });
    return () => window.removeEventListener("scroll", save);
  }, [key, pathname, navigationType]);
}
