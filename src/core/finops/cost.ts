import type { KubeObject } from '../model/objects';
import { containerNames, sandboxState } from '../model/sandbox';
import { GiB } from './quantity';
import { PodRequests, sandboxRequests, sandboxStorage } from './requests';

/** Prices from the settings. Defaults are ballpark on-demand cloud list prices in US dollars. */
export interface Prices {
  cpuHour: number;
  memoryGiBHour: number;
  storageGiBMonth: number;
  /** ISO 4217 code (USD, EUR…). */
  currency: string;
}

export const DEFAULT_PRICES: Prices = { cpuHour: 0.04, memoryGiBHour: 0.005, storageGiBMonth: 0.1, currency: 'USD' };

/** 365 × 24 / 12: the hours cloud providers bill a "month" of storage by. */
export const HOURS_PER_MONTH = 730;

export interface SandboxCost {
  /** Compute per hour while the pod runs (0 when hibernated). */
  computeHour: number;
  /** Storage per hour (its PVCs, running or hibernated). */
  storageHour: number;
  /** What it costs per hour in its current state. */
  perHour: number;
  /** What it costs per hour while running, whatever its state now. */
  runningHour: number;
  requests: PodRequests;
  storageBytes: number;
  /** True while the pod exists (running, starting, stopping): compute is billed. */
  computeBilled: boolean;
  /** False when a container has no CPU or memory request: the compute cost is a lower bound. */
  complete: boolean;
}

/** States in which the sandbox's pod exists and holds its requests. */
function podExists(sb: KubeObject): boolean {
  const s = sandboxState(sb);
  return s === 'Running' || s === 'Starting' || s === 'Hibernating';
}

export function sandboxCost(sb: KubeObject, prices: Prices): SandboxCost {
  const requests = sandboxRequests(sb);
  const storageBytes = sandboxStorage(sb);
  const runningCompute = requests.cpu * prices.cpuHour + (requests.memory / GiB) * prices.memoryGiBHour;
  const storageHour = ((storageBytes / GiB) * prices.storageGiBMonth) / HOURS_PER_MONTH;
  const computeBilled = podExists(sb);
  const computeHour = computeBilled ? runningCompute : 0;
  const complete = containerNames(sb).length > 0 && requests.missing.cpu.length === 0 && requests.missing.memory.length === 0;
  return {
    computeHour,
    storageHour,
    perHour: computeHour + storageHour,
    runningHour: runningCompute + storageHour,
    requests,
    storageBytes,
    computeBilled,
    complete,
  };
}

export interface CostSummary {
  running: number;
  hibernated: number;
  /** Pods that exist but are not Running (starting or stopping): billed, not counted as running. */
  transitioning: number;
  perHour: number;
  computeHour: number;
  storageHour: number;
  /** Sandboxes whose compute cost is a lower bound (a container without requests). */
  incomplete: number;
}

/** The standing cost of a set of sandboxes (everything in view, or a warm pool's members). */
export function summarizeCost(sandboxes: Iterable<KubeObject>, prices: Prices): CostSummary {
  const s: CostSummary = { running: 0, hibernated: 0, transitioning: 0, perHour: 0, computeHour: 0, storageHour: 0, incomplete: 0 };
  for (const sb of sandboxes) {
    const state = sandboxState(sb);
    if (state === 'Running') s.running++;
    else if (state === 'Hibernated') s.hibernated++;
    else if (state === 'Starting' || state === 'Hibernating') s.transitioning++;
    const c = sandboxCost(sb, prices);
    s.computeHour += c.computeHour;
    s.storageHour += c.storageHour;
    if (c.computeBilled && !c.complete) s.incomplete++;
  }
  s.perHour = s.computeHour + s.storageHour;
  return s;
}

/**
 * Money with enough digits to tell small amounts apart: $0.42, $0.013, $0.0049. An unknown
 * currency code falls back to "0.42 XYZ" rather than failing.
 */
export function formatMoney(amount: number, currency: string): string {
  const abs = Math.abs(amount);
  const digits = abs === 0 || abs >= 0.1 ? 2 : abs >= 0.01 ? 3 : 4;
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: abs === 0 ? 0 : 2, maximumFractionDigits: digits }).format(
      amount,
    );
  } catch {
    return `${amount.toFixed(digits)} ${currency}`;
  }
}
