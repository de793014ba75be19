import type { PoolSample } from '../../src/shared/poolProtocol';
import { svg, View } from '../shared/view';

/** Step lines of ready (solid) and desired (dashed) over the collected window; colours come from CSS classes. */
export function historyChart(samples: PoolSample[], since: number, now: number): View<'svg'> {
  const w = 600;
  const hgt = 140;
  const pad = { l: 28, r: 8, t: 8, b: 18 };
  const max = Math.max(1, ...samples.map((s) => Math.max(s.ready, s.desired)));
  const t0 = Math.min(since, samples[0]?.t ?? since);
  const span = Math.max(1000, now - t0);
  const x = (t: number) => pad.l + ((t - t0) / span) * (w - pad.l - pad.r);
  const y = (v: number) => hgt - pad.b - (v / max) * (hgt - pad.t - pad.b);
  const axes = [0, max].flatMap((v) => [
    svg('line', { x1: pad.l, x2: w - pad.r, y1: y(v), y2: y(v), class: 'grid' }),
    svg('text', { x: pad.l - 4, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' }, String(v)),
  ]);
  const step = (key: 'ready' | 'desired'): string => {
    const [first, ...rest] = samples;
    if (!first) return '';
    let d = `M ${x(first.t)} ${y(first[key])}`;
    for (const s of rest) d += ` H ${x(s.t)} V ${y(s[key])}`;
    return `${d} H ${x(now)}`;
  };
  const last = samples[samples.length - 1];
  return svg(
    'svg',
    { viewBox: `0 0 ${w} ${hgt}`, class: 'chart', role: 'img', preserveAspectRatio: 'none' },
    svg('title', {}, last ? `Ready ${last.ready} of ${last.desired} desired` : 'No samples yet'),
    axes,
    svg('path', { d: step('desired'), class: 'desired' }),
    svg('path', { d: step('ready'), class: 'ready' }),
  );
}
