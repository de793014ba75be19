import { claimSource } from '../model/claim';
import type { ClusterModel } from '../model/clusterModel';
import type { KubeObject } from '../model/objects';
import { poolTemplateName } from '../model/pool';
import { controllerOwner } from '../model/sandbox';

export const ANNOTATION_TEMPLATE_REF = 'agents.x-k8s.io/sandbox-template-ref';

/** A link in the chain: the name is known from a reference; the object only if it is in the model. */
export interface Named {
  name: string;
  object?: KubeObject | undefined;
}

export interface Lineage {
  template?: Named;
  pool?: Named;
  claim?: Named;
}

/**
 * Walks a sandbox's ancestry through the references the controller writes: controller owner
 * (claim, or the pool for an idle member) → the claim's warm pool → the pool's template, falling
 * back to the sandbox's template annotation (direct or v1alpha1 template-based claims).
 */
export function resolveLineage(model: Pick<ClusterModel, 'get'>, sandbox: KubeObject): Lineage {
  const ns = sandbox.metadata.namespace ?? '';
  const out: Lineage = {};
  const owner = controllerOwner(sandbox);
  let poolName: string | undefined;
  let templateName: string | undefined;
  if (owner?.kind === 'SandboxClaim') {
    const claim = model.get('SandboxClaim', ns, owner.name);
    out.claim = { name: owner.name, object: claim };
    const src = claim ? claimSource(claim) : undefined;
    if (src?.kind === 'pool') poolName = src.name;
    if (src?.kind === 'template') templateName = src.name;
  } else if (owner?.kind === 'SandboxWarmPool') {
    poolName = owner.name;
  }
  if (poolName) {
    const pool = model.get('SandboxWarmPool', ns, poolName);
    out.pool = { name: poolName, object: pool };
    templateName = (pool && poolTemplateName(pool)) ?? templateName;
  }
  templateName = templateName ?? sandbox.metadata.annotations?.[ANNOTATION_TEMPLATE_REF];
  if (templateName) out.template = { name: templateName, object: model.get('SandboxTemplate', ns, templateName) };
  return out;
}
