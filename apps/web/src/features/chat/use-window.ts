import { useCallback, useEffect, useMemo, useRef, useState } from "react";

export interface WindowRange {
  /** First and one-past-last index to render. */
  start: number;
  end: number;
  /** Space above the first rendered row and below the last one. */
  before: number;
  after: number;
  total: number;
}

/** Index of the first row whose bottom is below `y`. */
function firstBelow(offsets: Float64Array, count: number, y: number) {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid + 1]! > y) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Tops of the rows, by prefix sums of their heights (measured, else `estimate`); the last entry is the total height. */
export function rowOffsets(keys: readonly number[], heights: ReadonlyMap<number, number>, estimate: number): Float64Array {
  const out = new Float64Array(keys.length + 1);
  for (let i = 0; i < keys.length; i++) out[i + 1] = out[i]! + (heights.get(keys[i]!) ?? estimate);
  return out;
}

/**
 * The rows to render for a viewport (`top`, `height` of the scroller), `overscan` more on each side.
 * Before the viewport is first measured (height 0), the last rows: chat opens at the bottom.
 */
export function windowRange(offsets: Float64Array, view: { top: number; height: number }, overscan: number): WindowRange {
  const count = offsets.length - 1;
  const total = offsets[count]!;
  const height = view.height || 600;
  const top = view.height ? view.top : Math.max(0, total - height);
  const start = Math.max(0, firstBelow(offsets, count, top) - overscan);
  const end = Math.min(count, firstBelow(offsets, count, top + height) + 1 + overscan);
  return { start, end, before: offsets[start]!, after: total - offsets[end]!, total };
}

/**
 * A small windowed list for rows of varying height: only the rows in view (plus `overscan`) are in the
 * DOM. Rows report their height through `measure` (a ResizeObserver); unmeasured rows use `estimate`.
 */
export function useWindow(keys: readonly number[], scroller: HTMLElement | null, estimate = 28, overscan = 10) {
  const [heights, setHeights] = useState(() => new Map<number, number>());
  const [view, setView] = useState({ top: 0, height: 0 });
  const observer = useRef<ResizeObserver | null>(null);

  useEffect(() => {
    if (!scroller) return;
    let frame: number | null = null;
    const read = () => {
      frame = null;
      setView((v) =>
        v.top === scroller.scrollTop && v.height === scroller.clientHeight ? v : { top: scroller.scrollTop, height: scroller.clientHeight },
      );
    };
    const schedule = () => {
      frame ??= requestAnimationFrame(read);
    };
    read();
    scroller.addEventListener("scroll", schedule, { passive: true });
    const resize = new ResizeObserver(schedule);
    resize.observe(scroller);
    return () => {
      scroller.removeEventListener("scroll", schedule);
      resize.disconnect();
      if (frame !== null) cancelAnimationFrame(frame);
    };
  }, [scroller]);

  // Created on first use (row refs attach before effects run); rows unobserve themselves on unmount.
  const rowObserver = useCallback(() => {
    observer.current ??= new ResizeObserver((entries) => {
      setHeights((current) => {
        let next: Map<number, number> | null = null;
        for (const entry of entries) {
          const id = Number((entry.target as HTMLElement).dataset.rowKey);
          const height = entry.borderBoxSize?.[0]?.blockSize ?? entry.target.getBoundingClientRect().height;
          if (!Number.isFinite(id) || height === 0 || current.get(id) === height) continue;
          next ??= new Map(current);
          next.set(id, height);
        }
        return next ?? current;
      });
    });
    return observer.current;
  }, []);

  // Forget heights of rows that left the list, now and then.
  useEffect(() => {
    if (heights.size <= keys.length * 2 + 100) return;
    const present = new Set(keys);
    const frame = requestAnimationFrame(() => setHeights((current) => new Map([...current].filter(([id]) => present.has(id)))));
    return () => cancelAnimationFrame(frame);
  }, [heights, keys]);

  const offsets = useMemo(() => rowOffsets(keys, heights, estimate), [keys, heights, estimate]);
  const range = windowRange(offsets, view, overscan);

  /** Ref callback for a row element carrying `data-row-key`. */
  const measure = useCallback(
    (element: HTMLElement | null) => {
      if (!element) return;
      const rows = rowObserver();
      rows.observe(element);
      return () => rows.unobserve(element);
    },
    [rowObserver],
  );

  return { range, measure };
}
