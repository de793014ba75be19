/**
 * Kubernetes resource quantities (`500m`, `1.5`, `2Gi`, `1G`, `1e3`, `512Mi`) as plain numbers in
 * base units: cores for CPU, bytes for memory and storage. Follows the API's grammar
 * (sign, number, then one binary-SI, decimal-SI or exponent suffix); anything else is undefined.
 */
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

// The exponent form comes before the single-letter suffixes so "1e3" is 1000 while "1E" stays exa.
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei)|([numkMGTPE]))?$/;

export const GiB = 2 ** 30;

export function parseQuantity(value: unknown): number | undefined {
  // YAML turns `cpu: 1` and `cpu: 0.5` into numbers before they reach the API object.
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = QUANTITY.exec(value.trim());
  if (!m) return undefined;
  const [, sign, digits, exponent, binary, decimal] = m;
  let n = Number(digits);
  if (exponent) n *= 10 ** Number(exponent.slice(1));
  // The regex admits only suffixes the tables have; NaN would read as "not a quantity".
  else if (binary) n *= BINARY[binary] ?? NaN;
  else n *= DECIMAL[decimal ?? ''] ?? NaN;
  if (!Number.isFinite(n)) return undefined;
  return sign === '-' ? -n : n;
}

/** A byte count the way people read sizes: 1 GiB, 256 MiB, 1.5 GiB. */
export function formatSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const text = Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 2 : 1).replace(/\.?0+$/, '');
  return `${text} ${units[i]}`;
}

/** CPU as people say it: 0.25 vCPU, 2 vCPU. */
export function formatCpu(cores: number): string {
  const text = Number.isInteger(cores) ? String(cores) : cores.toFixed(3).replace(/\.?0+$/, '');
  return `${text} vCPU`;
}
