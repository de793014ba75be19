import { KubeObject, rec, str } from './objects';
import { LABEL_WARM_POOL } from './sandbox';

export function poolReplicas(pool: KubeObject): { ready: number; desired: number; current: number } {
  const desired = typeof pool.spec?.['replicas'] === 'number' ? pool.spec['replicas'] : 1;
  const ready = typeof pool.status?.['readyReplicas'] === 'number' ? pool.status['readyReplicas'] : 0;
  const current = typeof pool.status?.['replicas'] === 'number' ? pool.status['replicas'] : 0;
  return { ready, desired, current };
}

export function poolTemplateName(pool: KubeObject): string | undefined {
  return str(rec(pool.spec?.['sandboxTemplateRef'])?.['name']);
}

/** 32-bit FNV-1a of the UTF-8 name as 8 hex digits: the controller's NameHash for pool/template labels. */
export function nameHash(name: string): string {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(name, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * Remembered pool-name hashes, owned by whoever asks often (the model asks once per pool for each
 * sandbox row it places), so the memo lives and dies with its owner instead of the module.
 * Bounded: names from a cluster are not trusted to be few.
 */
export class NameHashes {
  private readonly known = new Map<string, string>();

  constructor(private readonly max = 10_000) {}

  of(name: string): string {
    const cached = this.known.get(name);
    if (cached) return cached;
    const h = nameHash(name);
    if (this.known.size < this.max) this.known.set(name, h);
    return h;
  }

  get size(): number {
    return this.known.size;
  }
}

/** Whether a sandbox is an idle member of this pool (label = NameHash(pool name), or owned by it). */
export function isPoolMember(pool: KubeObject, sandbox: KubeObject, poolHash = nameHash(pool.metadata.name)): boolean {
  if (sandbox.metadata.namespace !== pool.metadata.namespace) return false;
  if (sandbox.metadata.labels?.[LABEL_WARM_POOL] === poolHash) return true;
  return !!sandbox.metadata.ownerReferences?.some((o) => o.controller && o.kind === 'SandboxWarmPool' && o.name === pool.metadata.name);
}
