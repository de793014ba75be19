import type { ApiVersion } from '../k8s/resources';
import { condition, KubeObject, rec, str } from './objects';

export type SandboxState = 'Running' | 'Starting' | 'Hibernating' | 'Hibernated' | 'Expired' | 'Failed' | 'Finished';

export const LABEL_LAUNCH_TYPE = 'agents.x-k8s.io/launch-type';
export const ANNOTATION_POD_NAME = 'agents.x-k8s.io/pod-name';
export const LABEL_WARM_POOL = 'agents.x-k8s.io/warm-pool-sandbox';

/**
 * Whether a claim's sandbox has finished changing hands: the claim controller names the sandbox
 * (annotation) before it drops the warm-pool label and moves ownership, and a warm sandbox is
 * already Ready, so Ready alone can hand back the pool's copy.
 */
export function isAdoptedBy(sb: KubeObject, claim: string): boolean {
  if (sb.metadata.labels?.[LABEL_WARM_POOL] !== undefined) return false;
  const owner = sb.metadata.ownerReferences?.find((o) => o.controller);
  return !owner || (owner.kind === 'SandboxClaim' && owner.name === claim);
}

/** Whether the user asked this sandbox to be suspended (v1beta1 operatingMode, v1alpha1 replicas 0). */
export function isSuspendRequested(sb: KubeObject): boolean {
  const spec = sb.spec ?? {};
  if (spec['operatingMode'] !== undefined) return spec['operatingMode'] === 'Suspended';
  return spec['replicas'] === 0;
}

/**
 * Derives the one state the UI shows from the conditions, for both API versions.
 * Ready is authoritative; Suspended alone never means "hibernated" (it went stale in v0.5.0–0.5.3).
 */
export function sandboxState(sb: KubeObject): SandboxState {
  const ready = condition(sb, 'Ready');
  const finished = condition(sb, 'Finished');
  if (ready?.reason === 'SandboxExpired') return 'Expired';
  if (ready?.reason === 'PodFailed' || (finished?.status === 'True' && finished.reason === 'PodFailed')) return 'Failed';
  if (ready?.reason === 'PodSucceeded' || finished?.status === 'True') return 'Finished';
  if (isSuspendRequested(sb)) {
    const suspended = condition(sb, 'Suspended');
    if (suspended) return suspended.status === 'True' ? 'Hibernated' : 'Hibernating';
    // v1alpha1 / v0.4.x: no Suspended condition; the pod is gone once podIPs and replicas say so.
    const replicas = sb.status?.['replicas'];
    const podName = sb.metadata.annotations?.[ANNOTATION_POD_NAME];
    return replicas === 0 || (replicas === undefined && !podName) ? 'Hibernated' : 'Hibernating';
  }
  if (ready?.status === 'True') return 'Running';
  if (ready?.reason === 'ReconcilerError' || ready?.reason === 'MultiplePods') return 'Failed';
  return 'Starting';
}

/** Why the state is what it is, in a short phrase (Ready's message, or the scheduling problem). */
export function stateDetail(sb: KubeObject): string | undefined {
  const scheduled = condition(sb, 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.message) return scheduled.message;
  const ready = condition(sb, 'Ready');
  return ready?.status === 'True' ? undefined : ready?.message;
}

/** 'gVisor', 'Kata', 'runc', or a RuntimeClass name we do not know. */
export type Runtime = string;

export function runtimeClassOf(podSpecHolder: KubeObject): string | undefined {
  const podTemplate = rec(podSpecHolder.spec?.['podTemplate']);
  return str(rec(podTemplate?.['spec'])?.['runtimeClassName']);
}

/** Names the isolation runtime from a runtimeClassName; no class means the node default (runc). */
export function runtimeName(runtimeClassName: string | undefined): Runtime {
  if (!runtimeClassName) return 'runc';
  const c = runtimeClassName.toLowerCase();
  if (c.includes('gvisor') || c.includes('runsc')) return 'gVisor';
  if (c.includes('kata')) return 'Kata';
  return runtimeClassName;
}

export function isIsolated(runtimeClassName: string | undefined): boolean {
  return runtimeName(runtimeClassName) !== 'runc';
}

export function launchType(sb: KubeObject): 'warm' | 'cold' | undefined {
  const v = sb.metadata.labels?.[LABEL_LAUNCH_TYPE];
  return v === 'warm' || v === 'cold' ? v : undefined;
}

/**
 * The backing pod. v1.0 names it after the sandbox and no longer writes the pod-name annotation,
 * which may linger, stale, on objects from older releases; so the sandbox's name comes first. The
 * annotation is used when the pods are known and none has the sandbox's name, or on v1alpha1
 * objects (v0.1–v0.4 could adopt a pod of another name).
 */
export function podName(sb: KubeObject, podExists?: (name: string) => boolean): string | undefined {
  const state = sandboxState(sb);
  if (state === 'Hibernated' || state === 'Expired') return undefined;
  const annotated = sb.metadata.annotations?.[ANNOTATION_POD_NAME];
  if (!annotated || annotated === sb.metadata.name) return sb.metadata.name;
  if (podExists) return podExists(sb.metadata.name) || !podExists(annotated) ? sb.metadata.name : annotated;
  const v1alpha1 = sb.spec?.['operatingMode'] === undefined && sb.spec?.['replicas'] !== undefined;
  return v1alpha1 ? annotated : sb.metadata.name;
}

export function podIPs(sb: KubeObject): string[] {
  const ips = sb.status?.['podIPs'];
  return Array.isArray(ips) ? ips.filter((x): x is string => typeof x === 'string') : [];
}

export function nodeName(sb: KubeObject): string | undefined {
  return str(sb.status?.['nodeName']);
}

/** PVCs the controller creates: `<vct-name>-<sandbox-name>`; they survive hibernation. */
export function retainedPvcs(sb: KubeObject): string[] {
  const vcts = sb.spec?.['volumeClaimTemplates'];
  if (!Array.isArray(vcts)) return [];
  return vcts
    .map((v) => str(rec(rec(v)?.['metadata'])?.['name']))
    .filter((n): n is string => !!n)
    .map((n) => `${n}-${sb.metadata.name}`);
}

/** The owner that controls this sandbox: a claim (bound), a warm pool (idle), or nothing. */
export function controllerOwner(sb: KubeObject): { kind: string; name: string } | undefined {
  const o = sb.metadata.ownerReferences?.find((r) => r.controller);
  return o ? { kind: o.kind, name: o.name } : undefined;
}

export function serviceFqdn(sb: KubeObject, clusterDomain = 'cluster.local'): string {
  return str(sb.status?.['serviceFQDN']) ?? `${sb.metadata.name}.${sb.metadata.namespace}.svc.${clusterDomain}`;
}

/** Containers in the pod template; the first is the sandbox's main container. */
export function containerNames(sb: KubeObject): string[] {
  const containers = rec(rec(sb.spec?.['podTemplate'])?.['spec'])?.['containers'];
  return Array.isArray(containers) ? containers.map((c) => str(rec(c)?.['name'])).filter((n): n is string => !!n) : [];
}

/** The container ports the sandbox declares, as suggestions. */
export function declaredPorts(sb: { spec?: Record<string, unknown> } | undefined): { port: number; label: string }[] {
  const containers = rec(rec(sb?.spec?.['podTemplate'])?.['spec'])?.['containers'];
  if (!Array.isArray(containers)) return [];
  const out: { port: number; label: string }[] = [];
  for (const c of containers) {
    const ports = rec(c)?.['ports'];
    if (!Array.isArray(ports)) continue;
    const containerName = rec(c)?.['name'];
    for (const p of ports) {
      const port = rec(p)?.['containerPort'];
      if (typeof port === 'number')
        out.push({
          port,
          label: `${port}${typeof rec(p)?.['name'] === 'string' ? ` (${String(rec(p)?.['name'])})` : ''} · container ${typeof containerName === 'string' ? containerName : ''}`,
        });
    }
  }
  return out;
}

/** The merge-patch body that hibernates (suspend) or resumes a sandbox in the given API version. */
export function suspendPatch(version: ApiVersion, suspend: boolean): Record<string, unknown> {
  return version === 'v1beta1' ? { spec: { operatingMode: suspend ? 'Suspended' : 'Running' } } : { spec: { replicas: suspend ? 0 : 1 } };
}

/** True once a hibernate finished: Suspended=True, or (v1alpha1) the pod is gone. */
export function isHibernated(sb: KubeObject): boolean {
  return sandboxState(sb) === 'Hibernated';
}

export function isReady(sb: KubeObject): boolean {
  return !isSuspendRequested(sb) && condition(sb, 'Ready')?.status === 'True';
}
