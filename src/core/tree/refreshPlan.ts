import type { KindName } from '../k8s/resources';
import { changeKey, ClusterModel, ModelChange } from '../model/clusterModel';
import type { NodeCache } from './nodeCache';
import { DEPENDENT_GROUPS, TreeNode } from './nodes';

export interface RefreshContext {
  model: ClusterModel;
  cache: NodeCache;
  groupId(namespace: string, kind: KindName): string;
  /** A filter is set: a modified sandbox may move in or out of its list. */
  filtered: boolean;
  /** The namespace's sandboxes are grouped in buckets: a modified sandbox may move to another. */
  isGrouped(namespace: string): boolean;
}

/**
 * The rows a model change re-renders, never the whole tree: added or removed objects refresh their
 * groups (and the groups that count them), objects modified in place their own rows and the rows
 * that show them. A row whose parent is refreshed too is left out (the parent covers it).
 */
export function rowsToRefresh(change: ModelChange, x: RefreshContext): TreeNode[] {
  const { model, cache } = x;
  const fire = new Set<TreeNode>();
  const add = (node: TreeNode | undefined) => node && fire.add(node);
  for (const key of change.membership ?? []) {
    const [kind, ns] = key.split('/') as [KindName, string];
    for (const g of DEPENDENT_GROUPS[kind]) add(cache.get(x.groupId(ns, g)));
  }
  for (const key of change.modified ?? []) {
    for (const node of cache.rowsOf(key)) fire.add(node);
    const [kind, ns, name] = key.split('/') as [KindName, string, string];
    if (kind === 'Sandbox' && (x.filtered || x.isGrouped(ns))) add(cache.get(x.groupId(ns, 'Sandbox')));
    if (kind === 'Sandbox') {
      const sb = model.get('Sandbox', ns, name);
      const claim = sb && model.sandboxClaim(sb);
      if (claim) for (const node of cache.rowsOf(changeKey('SandboxClaim', ns, claim.metadata.name))) fire.add(node);
    }
    if (kind === 'SandboxTemplate') add(cache.get(x.groupId(ns, 'SandboxWarmPool')));
  }
  return [...fire].filter((node) => {
    const parent = cache.parentOf(node);
    return !(parent && fire.has(parent));
  });
}
