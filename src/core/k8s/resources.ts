/** The agent-sandbox kinds and how to address them for a discovered API version. */
export type KindName = 'Sandbox' | 'SandboxClaim' | 'SandboxWarmPool' | 'SandboxTemplate';

export const CORE_GROUP = 'agents.x-k8s.io';
export const EXT_GROUP = 'extensions.agents.x-k8s.io';

export interface KindInfo {
  kind: KindName;
  group: string;
  plural: string;
  /** Shown in messages ("no permission to list warm pools"). */
  title: string;
}

export const KINDS: Record<KindName, KindInfo> = {
  Sandbox: { kind: 'Sandbox', group: CORE_GROUP, plural: 'sandboxes', title: 'sandboxes' },
  SandboxClaim: { kind: 'SandboxClaim', group: EXT_GROUP, plural: 'sandboxclaims', title: 'claims' },
  SandboxWarmPool: { kind: 'SandboxWarmPool', group: EXT_GROUP, plural: 'sandboxwarmpools', title: 'warm pools' },
  SandboxTemplate: { kind: 'SandboxTemplate', group: EXT_GROUP, plural: 'sandboxtemplates', title: 'templates' },
};

export const ALL_KINDS: readonly KindName[] = ['SandboxWarmPool', 'SandboxClaim', 'Sandbox', 'SandboxTemplate'];

export type ApiVersion = 'v1beta1' | 'v1alpha1';

/** What discovery found: which version to use for each group, or undefined when not served. */
export interface ApiModel {
  core?: ApiVersion | undefined;
  extensions?: ApiVersion | undefined;
}

export function versionFor(api: ApiModel, kind: KindName): ApiVersion | undefined {
  return KINDS[kind].group === CORE_GROUP ? api.core : api.extensions;
}

/** The collection path for a kind; namespace undefined means all namespaces. */
export function collectionPath(api: ApiModel, kind: KindName, namespace?: string): string {
  const version = versionFor(api, kind);
  if (!version) throw new Error(`${kind} is not served by this cluster`);
  const info = KINDS[kind];
  const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `/apis/${info.group}/${version}${ns}/${info.plural}`;
}

export function objectPath(api: ApiModel, kind: KindName, namespace: string, name: string): string {
  return `${collectionPath(api, kind, namespace)}/${encodeURIComponent(name)}`;
}

export function apiVersionString(api: ApiModel, kind: KindName): string {
  return `${KINDS[kind].group}/${versionFor(api, kind)}`;
}
