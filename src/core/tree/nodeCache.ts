import type { KindName } from '../k8s/resources';
import { changeKey } from '../model/clusterModel';
import type { KubeObject } from '../model/objects';
import type { ResourceNode, TreeNode } from './nodes';

/**
 * Tree nodes by id, reused across renders so a refresh can name exactly the rows that changed,
 * with each node's parent (for reveal) and every row showing an object, keyed `Kind/namespace/name`
 * (a sandbox can appear under its pool, its claim and Sandboxes).
 */
export class NodeCache {
  private readonly nodes = new Map<string, TreeNode>();
  private readonly parents = new Map<string, TreeNode | undefined>();
  private readonly objectRows = new Map<string, Set<ResourceNode>>();

  get(id: string): TreeNode | undefined {
    return this.nodes.get(id);
  }

  /** Returns the cached instance for this id (updated with the new fields), or caches the new one. */
  reuse<T extends TreeNode>(node: T, update = false): T {
    const existing = this.nodes.get(node.id) as T | undefined;
    if (existing) {
      if (update) Object.assign(existing, node);
      return existing;
    }
    this.nodes.set(node.id, node);
    return node;
  }

  /** The row of an object under `prefix` (its group, bucket or owner row), its object refreshed in place. */
  resource(prefix: string, context: string, kind: KindName, object: KubeObject): ResourceNode {
    const id = `${prefix}${object.metadata.name}`;
    const existing = this.nodes.get(id);
    if (existing?.type === 'resource') {
      existing.object = object;
      return existing;
    }
    const node: ResourceNode = { type: 'resource', id, context, namespace: object.metadata.namespace ?? '', kind, name: object.metadata.name, object };
    this.nodes.set(id, node);
    const key = changeKey(kind, node.namespace, node.name);
    let set = this.objectRows.get(key);
    if (!set) this.objectRows.set(key, (set = new Set()));
    set.add(node);
    return node;
  }

  /** Every row showing the object `Kind/namespace/name`. */
  rowsOf(key: string): Iterable<ResourceNode> {
    return this.objectRows.get(key) ?? [];
  }

  /** Every object's rows, by key. */
  allRows(): Iterable<[string, Set<ResourceNode>]> {
    return this.objectRows;
  }

  parentOf(node: TreeNode): TreeNode | undefined {
    return this.parents.get(node.id);
  }

  setParent(node: TreeNode, parent: TreeNode | undefined): void {
    this.parents.set(node.id, parent);
  }

  clear(): void {
    this.nodes.clear();
    this.parents.clear();
    this.objectRows.clear();
  }
}
