import type { KubeObject } from '../model/objects';
import { SandboxState, sandboxState } from '../model/sandbox';

export type GroupBy = 'state' | 'owner';

/** A group of sandboxes under a namespace's Sandboxes row; `key` is stable across refreshes. */
export interface SandboxBucket {
  key: string;
  label: string;
  items: KubeObject[];
}

/** Where a sandbox came from: the claim that owns it, else the warm pool it belongs to, else none. */
export type SandboxOwner = { kind: 'claim' | 'pool'; name: string } | undefined;

/** Busy states first: what a user acts on is at the top. */
export const STATE_ORDER: readonly SandboxState[] = ['Running', 'Starting', 'Hibernating', 'Hibernated', 'Failed', 'Expired', 'Finished'];

/** Whether a list of this many rows is shown in groups (a threshold of 0 turns grouping off). */
export function shouldGroup(rows: number, threshold: number): boolean {
  return threshold > 0 && rows > threshold;
}

/**
 * Splits sandboxes into buckets by state (in STATE_ORDER) or by owner (pools, then claims, by
 * name, then "No pool or claim"). Empty buckets are left out; items keep their input order.
 */
export function groupSandboxes(sandboxes: KubeObject[], by: GroupBy, ownerOf: (sb: KubeObject) => SandboxOwner): SandboxBucket[] {
  const buckets = new Map<string, SandboxBucket>();
  for (const sb of sandboxes) {
    let key: string;
    let label: string;
    if (by === 'state') {
      const state = sandboxState(sb);
      key = `state:${state}`;
      label = state;
    } else {
      const owner = ownerOf(sb);
      key = owner ? `${owner.kind}:${owner.name}` : 'none';
      label = owner ? `${owner.kind === 'pool' ? 'Pool' : 'Claim'} ${owner.name}` : 'No pool or claim';
    }
    let b = buckets.get(key);
    if (!b) buckets.set(key, (b = { key, label, items: [] }));
    b.items.push(sb);
  }
  const rank = (b: SandboxBucket): [number, string] => {
    if (by === 'state') return [STATE_ORDER.indexOf(b.label as SandboxState), ''];
    if (b.key === 'none') return [2, ''];
    return [b.key.startsWith('pool:') ? 0 : 1, b.label];
  };
  return [...buckets.values()].sort((a, b) => {
    const [ra, na] = rank(a);
    const [rb, nb] = rank(b);
    return ra - rb || na.localeCompare(nb);
  });
}

/** "Running 812 · Hibernated 120 · Starting 3": the buckets in one line. */
export function bucketSummary(buckets: SandboxBucket[]): string {
  return buckets.map((b) => `${b.label} ${b.items.length}`).join(' · ');
}
