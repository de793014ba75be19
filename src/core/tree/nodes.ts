import type { KindName } from '../k8s/resources';
import type { KubeObject } from '../model/objects';

/** Tree nodes are plain data with stable ids; the provider reuses instances so refreshes can target them. */
export type TreeNode = ContextNode | MessageNode | NamespaceNode | GroupNode | BucketNode | ResourceNode | ContributedNode;

/** A node another feature adds through the provider's TreeContribution hook (a sandbox's Files); opaque here. */
export interface ContributedNode {
  type: 'contributed';
  id: string;
}

export interface ContextNode {
  type: 'context';
  id: string;
  context: string;
}

export interface MessageNode {
  type: 'message';
  id: string;
  text: string;
  detail?: string | undefined;
  severity: 'info' | 'warning' | 'error' | 'loading';
  command?: { command: string; title: string; arguments?: unknown[] } | undefined;
}

export interface NamespaceNode {
  type: 'namespace';
  id: string;
  context: string;
  namespace: string;
  /** Shown collapsed at first: the view has more namespaces than fit expanded (a fleet). */
  collapsed?: boolean;
}

export interface GroupNode {
  type: 'group';
  id: string;
  context: string;
  namespace: string;
  kind: KindName;
}

/** A state or owner group of a namespace's sandboxes, shown once the list is over the grouping threshold. */
export interface BucketNode {
  type: 'bucket';
  id: string;
  context: string;
  namespace: string;
  /** `state:Running`, `pool:py`, `claim:job-1` or `none` (see core/tree/grouping). */
  key: string;
  label: string;
  count: number;
}

/** A warm pool, claim, sandbox or template; `object` is refreshed in place from the model. */
export interface ResourceNode {
  type: 'resource';
  id: string;
  context: string;
  namespace: string;
  kind: KindName;
  name: string;
  object: KubeObject;
}

export const GROUP_TITLES: Record<KindName, string> = {
  SandboxWarmPool: 'Warm Pools',
  SandboxClaim: 'Claims',
  Sandbox: 'Sandboxes',
  SandboxTemplate: 'Templates',
};

/** Which groups need a refresh when objects of a kind change (pools count sandboxes, claims show theirs). */
export const DEPENDENT_GROUPS: Record<KindName, KindName[]> = {
  Sandbox: ['Sandbox', 'SandboxWarmPool', 'SandboxClaim'],
  SandboxClaim: ['SandboxClaim'],
  SandboxWarmPool: ['SandboxWarmPool'],
  SandboxTemplate: ['SandboxTemplate', 'SandboxWarmPool'],
};
