import { condition, KubeObject, rec, str } from './objects';

export const ANNOTATION_SANDBOX_NAME = 'agents.x-k8s.io/sandbox-name';

/** The bound sandbox: status.sandbox.name, the old status.sandbox.Name, or the annotation/label. */
export function claimSandboxName(claim: KubeObject): string | undefined {
  const s = rec(claim.status?.['sandbox']);
  return str(s?.['name']) ?? str(s?.['Name']) ?? claim.metadata.annotations?.[ANNOTATION_SANDBOX_NAME] ?? claim.metadata.labels?.[ANNOTATION_SANDBOX_NAME];
}

/** What the claim asks for: a warm pool (v1beta1, or v1alpha1 `warmpool: <name>`) or a template (v1alpha1). */
export function claimSource(claim: KubeObject): { kind: 'pool' | 'template'; name: string } | undefined {
  const spec = claim.spec ?? {};
  const pool = str(rec(spec['warmPoolRef'])?.['name']);
  if (pool) return { kind: 'pool', name: pool };
  const legacyPool = str(spec['warmpool']);
  if (legacyPool && legacyPool !== 'default' && legacyPool !== 'none') return { kind: 'pool', name: legacyPool };
  const template = str(rec(spec['sandboxTemplateRef'])?.['name']);
  return template ? { kind: 'template', name: template } : undefined;
}

export const LABEL_CREATED_BY = 'agents.x-k8s.io/created-by';
export const ANNOTATION_CLIENT_REQUESTED = 'agents.x-k8s.io/client-first-requested-at';
export const ANNOTATION_CONTROLLER_OBSERVED = 'agents.x-k8s.io/controller-first-observed-at';
export const ANNOTATION_CLAIM_READY = 'agents.x-k8s.io/claim-first-ready-at';

export type ClaimStatus = 'Ready' | 'Pending' | 'Hibernated' | 'Expired' | 'Failed';

/**
 * Ready=False reasons as upstream's claim controller treats them (v1.0): terminal ones it will not
 * recover from, transient ones it retries. WarmPoolNotFound/TemplateNotFound are v0.x names.
 */
const TERMINAL_REASONS: ReadonlySet<string> = new Set([
  'InvalidMetadata',
  'EnvVarsInjectionRejected',
  'VolumeClaimTemplatesError',
  'ClaimExpired',
  'SandboxExpired',
  'InvalidConfiguration',
  'PodFailed',
  'PodSucceeded',
  'WarmPoolNotFound',
  'TemplateNotFound',
]);
const TRANSIENT_REASONS: Record<string, string> = {
  AdoptionPending: 'waiting to adopt a sandbox from the pool',
  SandboxMissing: 'the sandbox is being (re)created',
  SandboxNotReady: 'waiting for the sandbox to become Ready',
  ReconcilerError: 'the controller hit an error and will retry',
};

export function classifyClaimReason(reason: string | undefined): 'terminal' | 'transient' | 'unknown' {
  if (!reason) return 'unknown';
  if (TERMINAL_REASONS.has(reason)) return 'terminal';
  return reason in TRANSIENT_REASONS ? 'transient' : 'unknown';
}

/** Status, the Ready reason and message, and (while pending) why we keep waiting. */
export function claimStatus(claim: KubeObject): {
  status: ClaimStatus;
  reason?: string | undefined;
  message?: string | undefined;
  waiting?: string | undefined;
} {
  const ready = condition(claim, 'Ready');
  const reason = ready?.reason;
  if (ready?.status === 'True') return { status: 'Ready', reason };
  if (reason === 'SandboxSuspended') return { status: 'Hibernated', reason, message: ready?.message };
  if (reason === 'ClaimExpired' || reason === 'SandboxExpired') return { status: 'Expired', reason, message: ready?.message };
  if (classifyClaimReason(reason) === 'terminal') return { status: 'Failed', reason, message: ready?.message };
  return { status: 'Pending', reason, message: ready?.message, waiting: reason ? TRANSIENT_REASONS[reason] : undefined };
}

/** The in-cluster DNS name the controller reports for the claim's sandbox (v1.0+), if any yet. */
export function claimServiceFqdn(claim: KubeObject): string | undefined {
  return str(rec(claim.status?.['sandbox'])?.['serviceFQDN']);
}

/** Which client made the claim (`vscode`, `python-client`, ...), from the SDKs' label. */
export function claimCreator(claim: KubeObject): string | undefined {
  return claim.metadata.labels?.[LABEL_CREATED_BY];
}

/** When the claim's TTL ends (spec.lifecycle.shutdownTime), as epoch ms. */
export function claimShutdownTime(claim: KubeObject): number | undefined {
  const t = Date.parse(str(rec(claim.spec?.['lifecycle'])?.['shutdownTime']) ?? '');
  return Number.isNaN(t) ? undefined : t;
}

/** "expires in 42 min", "expires in 3 h 5 min", "expires in 40 s", or "Expired". */
export function formatExpiry(shutdownMs: number, now: number): string {
  const secs = Math.floor((shutdownMs - now) / 1000);
  if (secs <= 0) return 'Expired';
  if (secs < 60) return `expires in ${secs} s`;
  const mins = Math.ceil(secs / 60);
  if (mins < 120) return `expires in ${mins} min`;
  const h = Math.floor(mins / 60);
  if (h < 48) return `expires in ${h} h${mins % 60 ? ` ${mins % 60} min` : ''}`;
  return `expires in ${Math.floor(h / 24)} d`;
}

export function claimExpiry(claim: KubeObject, now: number): string | undefined {
  const t = claimShutdownTime(claim);
  return t === undefined ? undefined : formatExpiry(t, now);
}

/** The latency the client and controller recorded in annotations (ms), where both ends exist. */
export function claimLatency(claim: KubeObject): {
  requestToObserved?: number | undefined;
  observedToReady?: number | undefined;
  requestToReady?: number | undefined;
} {
  const a = claim.metadata.annotations ?? {};
  const at = (k: string) => {
    const t = Date.parse(a[k] ?? '');
    return Number.isNaN(t) ? undefined : t;
  };
  const req = at(ANNOTATION_CLIENT_REQUESTED);
  const obs = at(ANNOTATION_CONTROLLER_OBSERVED);
  const ready = at(ANNOTATION_CLAIM_READY);
  const d = (x?: number, y?: number) => (x === undefined || y === undefined ? undefined : y - x);
  return { requestToObserved: d(req, obs), observedToReady: d(obs, ready), requestToReady: d(req, ready) };
}
