import type { ApiVersion } from '../k8s/resources';
import { ANNOTATION_CLIENT_REQUESTED, LABEL_CREATED_BY } from './claim';
import type { KubeObject } from './objects';
import { poolTemplateName } from './pool';

export type ShutdownPolicy = 'Delete' | 'DeleteForeground' | 'Retain';

/** Everything a client can ask for in a claim, as the SDKs expose it. All but the first four optional. */
export interface ClaimOptions {
  name: string;
  namespace: string;
  pool: KubeObject;
  /** The SandboxClaim API version the cluster serves. */
  version: ApiVersion;
  /** Value of `agents.x-k8s.io/created-by` (`vscode`, `vscode-agent`, ...). */
  createdBy: string;
  /** When the client first asked; written to `client-first-requested-at` like the SDKs do. */
  requestedAt: Date;
  /** TTL: the claim (and its sandbox) shut down this many seconds after requestedAt. */
  ttlSeconds?: number | undefined;
  /** What happens at shutdownTime; the API default is Retain (keeps the claim, stops the sandbox). */
  shutdownPolicy?: ShutdownPolicy;
  /** Environment variables injected into the sandbox (forces a cold start: warm pods cannot take them). */
  env?: { name: string; value: string; containerName?: string }[] | undefined;
  /** Labels on the claim itself. */
  labels?: Record<string, string> | undefined;
  /** `spec.additionalPodMetadata`: labels and annotations added to the sandbox's pod. */
  podLabels?: Record<string, string>;
  podAnnotations?: Record<string, string>;
}

/** The SandboxClaim to POST for these options. Pure: same options, same body. */
export function claimBody(o: ClaimOptions): KubeObject & { apiVersion: string; kind: string } {
  const spec: Record<string, unknown> =
    o.version === 'v1beta1'
      ? { warmPoolRef: { name: o.pool.metadata.name } }
      : { sandboxTemplateRef: { name: poolTemplateName(o.pool) }, warmpool: o.pool.metadata.name };
  if (o.ttlSeconds !== undefined) {
    const shutdownTime = new Date(o.requestedAt.getTime() + o.ttlSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    spec['lifecycle'] = { shutdownTime, shutdownPolicy: o.shutdownPolicy ?? 'Delete' };
  }
  if (o.env?.length) spec['env'] = o.env.map((e) => ({ name: e.name, value: e.value, ...(e.containerName ? { containerName: e.containerName } : {}) }));
  const podMeta: Record<string, unknown> = {};
  if (o.podLabels && Object.keys(o.podLabels).length) podMeta['labels'] = { ...o.podLabels };
  if (o.podAnnotations && Object.keys(o.podAnnotations).length) podMeta['annotations'] = { ...o.podAnnotations };
  if (Object.keys(podMeta).length) spec['additionalPodMetadata'] = podMeta;
  return {
    apiVersion: `extensions.agents.x-k8s.io/${o.version}`,
    kind: 'SandboxClaim',
    metadata: {
      name: o.name,
      namespace: o.namespace,
      // Our own label wins over a user label of the same key: it says who made the claim.
      labels: { ...(o.labels ?? {}), [LABEL_CREATED_BY]: o.createdBy },
      annotations: { [ANNOTATION_CLIENT_REQUESTED]: o.requestedAt.toISOString() },
    },
    spec,
  };
}

/** Parses `key=value` pairs separated by commas or new lines; returns the map or a problem. */
export function parsePairs(text: string, what: 'label' | 'annotation' | 'env'): { pairs: Record<string, string> } | { problem: string } {
  const pairs: Record<string, string> = {};
  for (const raw of text.split(/[,\n]/)) {
    const item = raw.trim();
    if (!item) continue;
    const eq = item.indexOf('=');
    if (eq <= 0) return { problem: `"${item}" is not key=value.` };
    const key = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    const problem = what === 'env' ? validateEnvName(key) : (validateLabelKey(key) ?? (what === 'label' ? validateLabelValue(value) : undefined));
    if (problem) return { problem };
    pairs[key] = value;
  }
  return { pairs };
}

function validateEnvName(k: string): string | undefined {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? undefined : `"${k}" is not a valid environment variable name.`;
}

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Kubernetes qualified names: optional DNS-subdomain prefix, then a name of at most 63 characters. */
export function validateLabelKey(k: string): string | undefined {
  const slash = k.lastIndexOf('/');
  const prefix = slash >= 0 ? k.slice(0, slash) : undefined;
  const name = slash >= 0 ? k.slice(slash + 1) : k;
  if (prefix !== undefined && (prefix.length > 253 || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(prefix))) return `"${k}": the prefix must be a DNS subdomain.`;
  if (!name || name.length > 63 || !NAME.test(name)) return `"${k}" is not a valid key (at most 63 letters, digits, "-", "_", ".").`;
  return undefined;
}

export function validateLabelValue(v: string): string | undefined {
  if (v === '') return undefined;
  return v.length <= 63 && NAME.test(v) ? undefined : `"${v}" is not a valid label value (at most 63 letters, digits, "-", "_", ".").`;
}

/** TTL text like "30m", "2h", "90s", "1h30m" or plain minutes, to seconds. */
export function parseTtl(text: string): { seconds: number } | { problem: string } {
  const t = text.trim().toLowerCase();
  if (/^\d+$/.test(t)) return Number(t) > 0 ? { seconds: Number(t) * 60 } : { problem: 'The TTL must be more than 0.' };
  const m = t.match(/^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/);
  if (!t || !m) return { problem: 'Use a duration like 30m, 2h, 1h30m or 90s.' };
  const seconds = Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
  return seconds > 0 ? { seconds } : { problem: 'The TTL must be more than 0.' };
}

/** What the "More options" steps of New Claim collect, as typed (remembered per pool, minus env). */
export interface ClaimForm {
  ttl?: string | undefined;
  shutdownPolicy?: ShutdownPolicy;
  env?: string | undefined;
  labels?: string | undefined;
  podLabels?: string | undefined;
  podAnnotations?: string | undefined;
}

export type ClaimFormOptions = Pick<ClaimOptions, 'ttlSeconds' | 'shutdownPolicy' | 'env' | 'labels' | 'podLabels' | 'podAnnotations'>;

/** Turns the typed form into claim options, or names the first field that is wrong. */
export function claimFormOptions(form: ClaimForm): { options: ClaimFormOptions } | { problem: string } {
  const options: ClaimFormOptions = {};
  if (form.ttl?.trim()) {
    const ttl = parseTtl(form.ttl);
    if ('problem' in ttl) return { problem: `TTL: ${ttl.problem}` };
    options.ttlSeconds = ttl.seconds;
    options.shutdownPolicy = form.shutdownPolicy ?? 'Delete';
  }
  const fields: ['env' | 'labels' | 'podLabels' | 'podAnnotations', 'label' | 'annotation' | 'env', string][] = [
    ['env', 'env', 'Environment'],
    ['labels', 'label', 'Claim labels'],
    ['podLabels', 'label', 'Pod labels'],
    ['podAnnotations', 'annotation', 'Pod annotations'],
  ];
  for (const [key, what, title] of fields) {
    const text = form[key];
    if (!text?.trim()) continue;
    const r = parsePairs(text, what);
    if ('problem' in r) return { problem: `${title}: ${r.problem}` };
    if (key === 'env') options.env = Object.entries(r.pairs).map(([name, value]) => ({ name, value }));
    else options[key] = r.pairs;
  }
  return { options };
}

/** One line that says what the options will do ("TTL 30m (Delete) · 2 env vars (cold start) · ..."). */
export function describeClaimForm(form: ClaimForm): string {
  const parts: string[] = [];
  if (form.ttl?.trim()) parts.push(`TTL ${form.ttl.trim()} (${form.shutdownPolicy ?? 'Delete'})`);
  const count = (t?: string) => (t ?? '').split(/[,\n]/).filter((x) => x.trim()).length;
  if (count(form.env)) parts.push(`${count(form.env)} env var${count(form.env) > 1 ? 's' : ''} (cold start)`);
  if (count(form.labels)) parts.push(`labels ${form.labels?.trim()}`);
  if (count(form.podLabels)) parts.push(`pod labels ${form.podLabels?.trim()}`);
  if (count(form.podAnnotations)) parts.push(`${count(form.podAnnotations)} pod annotation${count(form.podAnnotations) > 1 ? 's' : ''}`);
  return parts.join(' · ');
}

/**
 * Whether claims may add env to sandboxes of this template (`envVarsInjectionPolicy`: Allowed or
 * Overrides; the API default Disallowed makes the controller fail such claims with
 * EnvVarsInjectionRejected). Unknown (template not visible) counts as allowed: the controller decides.
 */
export function templateAllowsEnv(template: KubeObject | undefined): boolean {
  if (!template) return true;
  const policy = template.spec?.['envVarsInjectionPolicy'];
  return policy === 'Allowed' || policy === 'Overrides';
}
