import { condition, KubeObject, rec, str } from './objects';

export const ANNOTATION_SANDBOX_NAME = 'agents.x-k8s.io/sandbox-name';

/** The bound sandbox: status.sandbox.name, the old status.sandbox.Name, or the annotation/label. */
export function claimSandboxName(claim: KubeObject): string | undefined {
  const s = rec(claim.status?.sandbox);
  return (
    str(s?.name) ??
    str(s?.Name) ??
    claim.metadata.annotations?.[ANNOTATION_SANDBOX_NAME] ??
    claim.metadata.labels?.[ANNOTATION_SANDBOX_NAME]
  );
}

/** What the claim asks for: a warm pool (v1beta1, or v1alpha1 `warmpool: <name>`) or a template (v1alpha1). */
export function claimSource(claim: KubeObject): { kind: 'pool' | 'template'; name: string } | undefined {
  const spec = claim.spec ?? {};
  const pool = str(rec(spec.warmPoolRef)?.name);
  if (pool) return { kind: 'pool', name: pool };
  const legacyPool = str(spec.warmpool);
  if (legacyPool && legacyPool !== 'default' && legacyPool !== 'none') return { kind: 'pool', name: legacyPool };
  const template = str(rec(spec.sandboxTemplateRef)?.name);
  return template ? { kind: 'template', name: template } : undefined;
}

export type ClaimStatus = 'Ready' | 'Pending' | 'Hibernated' | 'Expired' | 'Failed';

export function claimStatus(claim: KubeObject): { status: ClaimStatus; reason?: string; message?: string } {
  const ready = condition(claim, 'Ready');
  const reason = ready?.reason;
  if (ready?.status === 'True') return { status: 'Ready', reason };
  if (reason === 'SandboxSuspended') return { status: 'Hibernated', reason, message: ready?.message };
  if (reason === 'ClaimExpired' || reason === 'SandboxExpired') return { status: 'Expired', reason, message: ready?.message };
  const terminal = ['InvalidMetadata', 'EnvVarsInjectionRejected', 'VolumeClaimTemplatesError', 'WarmPoolNotFound', 'TemplateNotFound', 'ReconcilerError', 'PodFailed'];
  if (reason && terminal.includes(reason)) return { status: 'Failed', reason, message: ready?.message };
  return { status: 'Pending', reason, message: ready?.message };
}
