import { useEffect, useState } from "react";

/** 75 → "1:15", 3725 → "1:02:05" */
export function formatElapsed(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** Time on air since `since`, ticking every second. */
export function LiveClock({ since }: { since: Date }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const elapsed = formatElapsed((now - since.getTime()) / 1000);
  return (
    <time
      dateTime={`PT${Math.max(0, Math.floor((now - since.getTime()) / 1000))}S`}
      className="font-mono tabular-nums"
      data-testid="live-elapsed"
    >
      {elapsed}
    </time>
  );
}
