/** One line of a scenario's results (and of the summary table). */
export interface Row {
  scenario: string;
  case: string;
  /** requests/s, or null where it does not apply */
  rps: number | null;
  p50: number | null;
  p99: number | null;
  /** e.g. "2.31× express · 0.45× floor" */
  ratio: string;
  note?: string;
}

const rows: Row[] = [];

const fmt = (value: number | null, digits = 0) => (value === null ? "–" : value.toFixed(digits));
const ms = (value: number | null) => (value === null ? "–" : value < 10 ? value.toFixed(2) : value.toFixed(1));

export const times = (value: number, base: number, name: string) =>
  base > 0 ? `${value / base >= 1 ? (value / base).toFixed(2) : (value / base).toPrecision(2)}× ${name}` : `– × ${name}`;

function line(row: Row): string[] {
  return [row.scenario, row.case, fmt(row.rps), ms(row.p50), ms(row.p99), row.ratio, row.note ?? ""];
}

function table(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? "").length)));
  const render = (r: string[]) => `| ${r.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`;
  return [render(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(render)].join("\n");
}

const HEADER = ["scenario", "case", "req/s", "p50 ms", "p99 ms", "ratio", "note"];

/** Prints the row at once and keeps it for the summary. */
export function report(row: Row) {
  rows.push(row);
  console.log(
    `  ${row.case}: ${fmt(row.rps)} req/s · p50 ${ms(row.p50)} ms · p99 ${ms(row.p99)} ms · ${row.ratio}${row.note ? ` · ${row.note}` : ""}`,
  );
}

export function summary(): string {
  return table(HEADER, rows.map(line));
}

export function reportedRows(): readonly Row[] {
  return rows;
}
