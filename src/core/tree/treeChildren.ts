import type { ManagerState } from '../clusterManager';
import type { KindName } from '../k8s/resources';
import { claimSandboxName } from '../model/claim';
import type { ClusterModel } from '../model/clusterModel';
import type { KubeObject } from '../model/objects';
import type { SessionState } from '../session';
import type { SandboxBucket } from './grouping';
import type { BucketNode, GroupNode, MessageNode, NamespaceNode, ResourceNode, TreeNode } from './nodes';
import { describeFilter, SandboxFilter } from './sandboxFilter';
import { badKubeconfigMessage, message, notInstalledMessage, staleMessage, statusMessage, unreachableMessages } from './treeMessages';

const GROUP_ORDER: readonly KindName[] = ['SandboxWarmPool', 'SandboxClaim', 'Sandbox', 'SandboxTemplate'];

/** What building rows needs from the tree (SandboxTree provides it): its model, filter, grouping and node cache. */
export interface TreeRows {
  readonly model: ClusterModel | undefined;
  readonly filtered: boolean;
  readonly sandboxFilter: SandboxFilter;
  filterCounts(): { shown: number; total: number };
  visibleSandboxes(namespace: string): KubeObject[];
  sandboxesOf(node: GroupNode | BucketNode): KubeObject[];
  /** Whether a list of this many sandboxes is shown in buckets. */
  groupsAt(count: number): boolean;
  buckets(list: KubeObject[]): SandboxBucket[];
  bucketNode(namespace: string, b: SandboxBucket): BucketNode;
  resource(prefix: string, kind: KindName, object: KubeObject): ResourceNode;
  groupId(namespace: string, kind: KindName): string;
  /** The cached node for this id, updated with these fields. */
  reuse<T extends TreeNode>(node: T, update?: boolean): T;
}

/** The top row: the context, or why there is none (no kubeconfig: the welcome view explains). */
export function rootRows(t: TreeRows, state: ManagerState): TreeNode[] {
  if (state.kind === 'no-kubeconfig') return [];
  if (state.kind === 'bad-kubeconfig') return [t.reuse(badKubeconfigMessage(state.message), true)];
  return [t.reuse<TreeNode>({ type: 'context', id: `ctx:${state.session.context}`, context: state.session.context })];
}

/** Under the context: connection problems, the filter, kinds that cannot be listed, then the namespaces. */
export function contextRows(t: TreeRows, context: string, s: SessionState): TreeNode[] {
  const msg = (m: MessageNode) => t.reuse(m, true);
  if (s.kind === 'connecting') return [msg(message('connecting', 'Connecting…', 'loading'))];
  if (s.kind === 'unreachable') return unreachableMessages(s.error).map(msg);
  if (s.kind === 'not-installed') return [msg(notInstalledMessage())];
  const model = s.model;
  const out: TreeNode[] = [];
  if (t.filtered) {
    const { shown, total } = t.filterCounts();
    out.push(
      msg(
        message(
          'filter',
          `Filter: ${describeFilter(t.sandboxFilter)} — ${shown} of ${total} shown`,
          'info',
          'Click to clear the filter and show every sandbox.',
          { command: 'agentSandbox.clearFilter', title: 'Clear Filter' },
        ),
      ),
    );
  }
  if (!s.api.extensions) {
    out.push(
      msg(
        message(
          'no-extensions',
          'Claims, warm pools and templates are not installed (agent-sandbox extensions)',
          'info',
          'Only Sandboxes are shown. Apply the agent-sandbox `extensions.yaml` and run the controller with `--extensions`.',
        ),
      ),
    );
  }
  const statuses = model.kindStatuses();
  const starting = [...statuses.values()].some((st) => st.state === 'starting');
  if (model.scope.all) {
    for (const [kind, st] of statuses) {
      if (st.state === 'error') out.push(msg(statusMessage(`all:${kind}`, kind, st, 'all namespaces')));
      else if (st.state === 'reconnecting') out.push(msg(staleMessage(`all:${kind}`, kind, st)));
    }
  }
  const namespaces = model.namespaces();
  if (namespaces.length === 0) {
    if (starting) out.push(msg(message('loading', 'Loading…', 'loading')));
    else if (!out.some((n) => n.type === 'message' && n.severity === 'error'))
      out.push(
        msg(
          message('empty', 'No sandboxes, claims or pools in the chosen namespaces', 'info', undefined, {
            command: 'agentSandbox.chooseNamespaces',
            title: 'Choose namespaces',
          }),
        ),
      );
  }
  // A fleet's 100 namespaces all open would bury the one you want; a few open at once is the usual case.
  const collapsed = namespaces.length > EXPANDED_NAMESPACES_MAX;
  for (const ns of namespaces) out.push(t.reuse<NamespaceNode>({ type: 'namespace', id: `ns:${context}/${ns}`, context, namespace: ns, collapsed }, true));
  return out;
}

/** Up to this many namespaces start expanded; with more, every namespace row starts collapsed. */
export const EXPANDED_NAMESPACES_MAX = 10;

/** A namespace's kind groups, a group's objects (or buckets), a bucket's sandboxes, a pool's members, a claim's sandbox. */
export function innerRows(t: TreeRows, context: string, node: TreeNode): TreeNode[] {
  const model = t.model;
  if (!model) return [];
  switch (node.type) {
    case 'namespace':
      return GROUP_ORDER.filter((k) => model.servedKinds.includes(k)).map((kind) =>
        t.reuse<GroupNode>({ type: 'group', id: t.groupId(node.namespace, kind), context, namespace: node.namespace, kind }),
      );
    case 'group': {
      const st = model.status(node.kind, node.namespace);
      if (st.state === 'error') return [t.reuse(statusMessage(`${node.namespace}:${node.kind}`, node.kind, st, node.namespace), true)];
      const objects = node.kind === 'Sandbox' ? t.visibleSandboxes(node.namespace) : model.list(node.kind, node.namespace);
      const items: TreeNode[] =
        node.kind === 'Sandbox' && t.groupsAt(objects.length)
          ? t.buckets(objects).map((b) => t.bucketNode(node.namespace, b))
          : objects.map((o) => t.resource(`${node.id}/`, node.kind, o));
      return st.state === 'reconnecting' && !model.scope.all ? [t.reuse(staleMessage(`${node.namespace}:${node.kind}`, node.kind, st), true), ...items] : items;
    }
    case 'bucket':
      return t.sandboxesOf(node).map((o) => t.resource(`${node.id}/`, 'Sandbox', o));
    case 'resource': {
      const fresh = model.get(node.kind, node.namespace, node.name);
      if (node.kind === 'SandboxWarmPool' && fresh) return model.poolMembers(fresh).map((o) => t.resource(`${node.id}/`, 'Sandbox', o));
      if (node.kind === 'SandboxClaim' && fresh) {
        const sb = model.claimSandbox(fresh);
        if (sb) return [t.resource(`${node.id}/`, 'Sandbox', sb)];
        const bound = claimSandboxName(fresh);
        return bound ? [t.reuse(message(`${node.id}/pending`, `Sandbox ${bound} (not visible yet)`, 'loading'), true)] : [];
      }
      return [];
    }
    default:
      return [];
  }
}
