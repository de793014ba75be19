/** Time formatting for the panels (the user's locale, relative ages, durations). */

export function duration(ms: number): string {
  const neg = ms < 0;
  let s = Math.abs(ms) / 1000;
  let out: string;
  if (s < 10) out = `${s.toFixed(1)} s`;
  else if (s < 120) out = `${Math.round(s)} s`;
  else {
    s = Math.round(s);
    const d = Math.floor(s / 86400);
    const hh = Math.floor((s % 86400) / 3600);
    const mm = Math.floor((s % 3600) / 60);
    const ss = s % 60;
    out = d ? `${d}d ${hh}h ${mm}m` : hh ? `${hh}h ${mm}m ${ss}s` : `${mm}m ${ss}s`;
  }
  return neg ? `-${out}` : out;
}

export function ago(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const ms = now - t;
  return ms < 0 ? `in ${duration(-ms)}` : `${duration(ms)} ago`;
}

export function clock(iso: string | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toLocaleString();
}
