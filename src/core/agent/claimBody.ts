import type { ApiModel } from '../k8s/resources';
import { versionFor } from '../k8s/resources';
import { LABEL_CREATED_BY } from '../model/claim';
import { claimBody } from '../model/claimBody';
import type { KubeObject } from '../model/objects';

export { LABEL_CREATED_BY };
export const CREATED_BY_AGENT = 'vscode-agent';

export interface AgentClaimOptions {
  namespace: string;
  name: string;
  pool: KubeObject;
  ttlSeconds?: number | undefined;
  env?: Record<string, string> | undefined;
  labels?: Record<string, string> | undefined;
  now: Date;
}

/**
 * The SandboxClaim an agent creates: the same body a person's New Claim builds, labelled
 * created-by vscode-agent (the tree's "agent" badge), TTL with policy Delete, env for the sandbox.
 */
export function agentClaimBody(api: ApiModel, o: AgentClaimOptions): KubeObject {
  return claimBody({
    name: o.name,
    namespace: o.namespace,
    pool: o.pool,
    version: versionFor(api, 'SandboxClaim') ?? 'v1beta1',
    createdBy: CREATED_BY_AGENT,
    requestedAt: o.now,
    ttlSeconds: o.ttlSeconds || undefined,
    shutdownPolicy: 'Delete',
    env: o.env && Object.entries(o.env).map(([name, value]) => ({ name, value })),
    labels: o.labels,
  });
}

export function isAgentClaim(claim: KubeObject | undefined): boolean {
  return claim?.metadata.labels?.[LABEL_CREATED_BY] === CREATED_BY_AGENT;
}
