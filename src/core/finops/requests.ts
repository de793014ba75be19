import { KubeObject, rec, str } from '../model/objects';
import { parseQuantity } from './quantity';

/** What a pod asks the scheduler for; `missing` names containers that request neither CPU nor memory. */
export interface PodRequests {
  /** Cores. */
  cpu: number;
  /** Bytes. */
  memory: number;
  /** Containers with no request (and no limit, which would be the default request) for CPU / memory. */
  missing: { cpu: string[]; memory: string[] };
}

type Resource = 'cpu' | 'memory';

/** A container's request: `requests`, else `limits` (Kubernetes defaults a missing request to the limit). */
function containerRequest(container: Record<string, unknown>, resource: Resource): number | undefined {
  const resources = rec(container['resources']);
  const q = parseQuantity(rec(resources?.['requests'])?.[resource]) ?? parseQuantity(rec(resources?.['limits'])?.[resource]);
  return q === undefined ? undefined : Math.max(0, q);
}

function list(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.map(rec).filter((c): c is Record<string, unknown> => !!c) : [];
}

/**
 * The pod's effective request, as the scheduler computes it: the app containers plus sidecars
 * (init containers with restartPolicy Always), or the largest init container (plus the sidecars
 * started before it) when that is more, plus the pod overhead.
 */
export function podSpecRequests(podSpec: Record<string, unknown> | undefined): PodRequests {
  const out: PodRequests = { cpu: 0, memory: 0, missing: { cpu: [], memory: [] } };
  if (!podSpec) return out;
  const containers = list(podSpec['containers']);
  const inits = list(podSpec['initContainers']);
  for (const r of ['cpu', 'memory'] as const) {
    let sum = 0;
    for (const c of containers) {
      const q = containerRequest(c, r);
      if (q === undefined) out.missing[r].push(str(c['name']) ?? '?');
      sum += q ?? 0;
    }
    let sidecars = 0;
    let initPeak = 0;
    for (const c of inits) {
      const q = containerRequest(c, r) ?? 0;
      if (c['restartPolicy'] === 'Always') sidecars += q;
      else initPeak = Math.max(initPeak, q + sidecars);
    }
    const overhead = Math.max(0, parseQuantity(rec(podSpec['overhead'])?.[r]) ?? 0);
    out[r] = Math.max(sum + sidecars, initPeak) + overhead;
  }
  return out;
}

/** Requests of the pod a Sandbox (or SandboxTemplate) runs: from spec.podTemplate.spec. */
export function sandboxRequests(obj: KubeObject): PodRequests {
  return podSpecRequests(rec(rec(obj.spec?.['podTemplate'])?.['spec']));
}

/** Bytes of storage the sandbox's PVCs request (spec.volumeClaimTemplates); they outlive hibernation. */
export function sandboxStorage(obj: KubeObject): number {
  let total = 0;
  for (const t of list(obj.spec?.['volumeClaimTemplates'])) {
    const q = parseQuantity(rec(rec(rec(t['spec'])?.['resources'])?.['requests'])?.['storage']);
    if (q !== undefined) total += Math.max(0, q);
  }
  return total;
}
