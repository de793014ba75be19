// Shared by bench:claim and bench:fleet: order statistics, and a table whose last column says
// whether a row met its goal (MET / MISSED; info rows have none). Benches print, never assert.

/** The median as the other benches take it (the upper middle of an even count). */
export const median = (xs: number[]): number => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : NaN);

/** Nearest-rank percentile (p in 0–100); Infinity entries (never observed) sort last. */
export function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const ms = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 1 : 0)} ms` : Number.isNaN(v) ? 'n/a' : 'never');
export const ratio = (a: number, b: number): string => (Number.isFinite(a / b) ? `×${(a / b).toFixed(2)}` : 'n/a');

/** MET / MISSED for a goal; undefined (not measured) prints n/a, so a missing number never reads as a pass. */
export const verdict = (ok: boolean | undefined): string => (ok === undefined ? 'n/a' : ok ? 'MET' : 'MISSED');

/** Prints rows under a header, each column as wide as its widest cell; numbers right-aligned. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = (s: string) => /^[×~<≤]?[\d.,]+( ?[a-zA-Z/%]+)?$/.test(s);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i > 0 && numeric(c) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}
