/** The timeouts the web app offers. */
export const TIMEOUTS = [
  { minutes: 1, label: "1 min" },
  { minutes: 10, label: "10 min" },
  { minutes: 60, label: "1 h" },
  { minutes: 1440, label: "24 h" },
] as const;

/** "1 min", "10 min", "1 h", "24 h", "2 d 3 h": a timeout's length. */
export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  if (minutes <= 1440 || minutes % 1440 !== 0) {
    const hours = Math.floor(minutes / 60);
    return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  }
  return `${minutes / 1440} d`;
}

/** "4:05", "1:02:09": what is left until `until` (ms epoch) from `now`, counting down. */
export function formatLeft(until: number, now: number): string {
  const total = Math.max(0, Math.ceil((until - now) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}
