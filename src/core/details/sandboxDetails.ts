import type { ActionView, ConditionView, DetailsSnapshot, EventView, LineageLink, ObjectRef } from '../../shared/detailsProtocol';
import { claimCreator, claimServiceFqdn, claimStatus } from '../model/claim';
import { problemLabel, sandboxProblem } from '../model/podProblem';
import { claimLatencyText } from '../model/present';
import { conditions, condition, KubeObject, rec, str } from '../model/objects';
import { isIsolated, launchType, nodeName, podIPs, retainedPvcs, runtimeClassOf, runtimeName, sandboxState, stateDetail } from '../model/sandbox';
import type { Lineage } from './lineage';

export const ANNOTATION_CLAIM_FIRST_READY = 'agents.x-k8s.io/claim-first-ready-at';
const MAX_EVENTS = 30;

/** What the host gathered for one sandbox: live objects from the model plus a few reads. */
export interface DetailsInput {
  context: string;
  namespace: string;
  name: string;
  sandbox: KubeObject | undefined;
  lineage: Lineage;
  pod?: KubeObject | undefined;
  /** The Service the sandbox names, and whether it was found (undefined: not looked up). */
  service?: { name: string; found: boolean } | undefined;
  pvcs: { name: string; found?: boolean | undefined }[];
  events: KubeObject[];
  eventsError?: string | undefined;
  /** Which optional commands other parts of the extension registered. */
  can: { terminal: boolean; files: boolean };
}

function ref(kind: ObjectRef['kind'], namespace: string, name: string): ObjectRef {
  return { kind, namespace, name };
}

function conditionViews(obj: KubeObject): ConditionView[] {
  const gen = obj.metadata.generation;
  return conditions(obj).map((c) => ({
    type: c.type,
    status: c.status,
    reason: c.reason || undefined,
    message: c.message || undefined,
    time: c.lastTransitionTime,
    stale: gen !== undefined && c.observedGeneration !== undefined && c.observedGeneration < gen,
  }));
}

export function eventView(e: KubeObject): EventView {
  const raw = e as unknown as Record<string, unknown>;
  const involved = rec(raw['involvedObject']) ?? rec(raw['regarding']);
  const series = rec(raw['series']);
  return {
    type: str(raw['type']) ?? 'Normal',
    reason: str(raw['reason']) ?? '',
    message: str(raw['message']) ?? str(raw['note']) ?? '',
    count: typeof raw['count'] === 'number' ? raw['count'] : typeof series?.['count'] === 'number' ? series['count'] : 1,
    time: str(raw['lastTimestamp']) ?? str(series?.['lastObservedTime']) ?? str(raw['eventTime']) ?? str(raw['firstTimestamp']) ?? e.metadata.creationTimestamp,
    object: `${str(involved?.['kind']) ?? '?'}/${str(involved?.['name']) ?? '?'}`,
  };
}

/** Newest first, at most MAX_EVENTS, duplicates (same uid from two watches) removed. */
export function recentEvents(events: KubeObject[]): EventView[] {
  const seen = new Set<string>();
  const unique = events.filter((e) => {
    const id = e.metadata.uid ?? `${e.metadata.namespace}/${e.metadata.name}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return unique
    .map(eventView)
    .sort((a, b) => (Date.parse(b.time ?? '') || 0) - (Date.parse(a.time ?? '') || 0))
    .slice(0, MAX_EVENTS);
}

/** Claim → Ready (the controller's own annotation when present), else sandbox creation → Ready. */
export function timeToReady(sandbox: KubeObject, claim: KubeObject | undefined): { ms: number; from: string } | undefined {
  const diff = (from: string | undefined, to: string | undefined) => {
    const a = Date.parse(from ?? '');
    const b = Date.parse(to ?? '');
    return Number.isNaN(a) || Number.isNaN(b) ? undefined : b - a;
  };
  if (claim) {
    const created = claim.metadata.creationTimestamp;
    const annotated = diff(created, claim.metadata.annotations?.[ANNOTATION_CLAIM_FIRST_READY]);
    if (annotated !== undefined) return { ms: annotated, from: 'claim created → first Ready, recorded by the controller' };
    const ready = condition(claim, 'Ready');
    const byCondition = ready?.status === 'True' ? diff(created, ready.lastTransitionTime) : undefined;
    // A claim that adopts a Ready pool sandbox gets that sandbox's Ready condition, time and all: a
    // transition before the claim existed means it was Ready the moment it was claimed.
    if (byCondition !== undefined && byCondition < 0) return { ms: 0, from: 'the pool sandbox was already Ready when claimed, 1 s resolution' };
    if (byCondition !== undefined) return { ms: byCondition, from: 'claim created → Ready condition, 1 s resolution' };
    return undefined;
  }
  const ready = condition(sandbox, 'Ready');
  const ms = ready?.status === 'True' ? diff(sandbox.metadata.creationTimestamp, ready.lastTransitionTime) : undefined;
  return ms === undefined ? undefined : { ms, from: 'sandbox created → Ready condition, 1 s resolution' };
}

function podRuntimeClass(pod: KubeObject | undefined): string | undefined {
  return str(pod?.spec?.['runtimeClassName']);
}

function restarts(pod: KubeObject | undefined): number | undefined {
  const statuses = pod?.status?.['containerStatuses'];
  if (!Array.isArray(statuses)) return undefined;
  return statuses.reduce((n: number, s) => n + (typeof rec(s)?.['restartCount'] === 'number' ? (rec(s)?.['restartCount'] as number) : 0), 0);
}

function actionsFor(state: string, gone: boolean, hasPod: boolean, can: DetailsInput['can']): ActionView[] {
  const running = state === 'Running';
  const notRunning = 'The sandbox is not running.';
  return [
    {
      id: 'hibernate',
      label: 'Hibernate',
      enabled: !gone && (state === 'Running' || state === 'Starting'),
      why: 'Only a running or starting sandbox can hibernate.',
    },
    { id: 'resume', label: 'Resume', enabled: !gone && (state === 'Hibernated' || state === 'Hibernating'), why: 'Only a hibernated sandbox can resume.' },
    { id: 'terminal', label: 'Terminal', enabled: can.terminal && running, why: can.terminal ? notRunning : 'Terminals are not available in this version.' },
    { id: 'files', label: 'Files', enabled: can.files && running, why: can.files ? notRunning : 'The file browser is not available in this version.' },
    { id: 'logs', label: 'Logs', enabled: !gone && (hasPod || state === 'Hibernated'), why: 'The sandbox has no pod.' },
    { id: 'forwardPort', label: 'Forward Port…', enabled: running, why: notRunning },
    { id: 'preview', label: 'Open Preview…', enabled: running, why: notRunning },
    { id: 'editYaml', label: 'Edit YAML', enabled: !gone, why: 'The sandbox was deleted.' },
    { id: 'delete', label: 'Delete…', enabled: !gone, why: 'The sandbox was deleted.' },
  ].map((a) => (a.enabled ? { ...a, why: undefined } : a)) as ActionView[];
}

function notIsolatedWarning(rc: string | undefined): string {
  return rc
    ? `RuntimeClass "${rc}" is not a known sandboxing runtime (gVisor, Kata): this pod may share the node's kernel.`
    : "Not isolated: the pod runs with the node's default runtime (runc) and shares the node's kernel. Set spec.podTemplate.spec.runtimeClassName (for example gvisor) in the template to sandbox agent code.";
}

/** Turns what the host gathered into the snapshot the details webview renders. Pure. */
export function buildDetails(input: DetailsInput): DetailsSnapshot {
  const { context, namespace, name, lineage } = input;
  const sb = input.sandbox;
  const gone = !sb;
  const problem = sb ? sandboxProblem(sb, input.pod, input.events) : undefined;
  const state = sb ? sandboxState(sb) : 'Deleted';
  const link = (kind: ObjectRef['kind'], n: { name: string; object?: KubeObject | undefined } | undefined, note?: string): LineageLink | undefined =>
    n ? { ref: ref(kind, namespace, n.name), exists: !!n.object, note } : undefined;
  const claim = lineage.claim?.object;
  const pod = input.pod;
  const rc = podRuntimeClass(pod) ?? (sb ? runtimeClassOf(sb) : undefined);
  const isolated = isIsolated(rc);
  const ready = sb ? timeToReady(sb, claim) : undefined;
  const spec = sb?.spec ?? {};
  const claimLifecycle = rec(claim?.spec?.['lifecycle']);
  const podName = pod?.metadata.name;
  return {
    context,
    namespace,
    name,
    gone,
    state: problem ? problemLabel(problem) : state,
    stateDetail: problem ? `${problem.reason}: ${problem.message}` : sb ? stateDetail(sb) : 'This sandbox was deleted.',
    conditions: sb ? conditionViews(sb) : [],
    lineage: {
      template: link('SandboxTemplate', lineage.template),
      pool: link('SandboxWarmPool', lineage.pool),
      claim: link('SandboxClaim', lineage.claim, claim ? claimStatus(claim).status : undefined),
      sandbox: { ref: ref('Sandbox', namespace, name), exists: !gone },
      pod: podName ? { ref: ref('Pod', namespace, podName), exists: true, note: str(pod?.status?.['phase']) } : undefined,
      service: input.service
        ? { ref: ref('Service', namespace, input.service.name), exists: input.service.found, note: str(sb?.status?.['serviceFQDN']) }
        : undefined,
      pvcs: input.pvcs.map((p) => ({ ref: ref('PersistentVolumeClaim', namespace, p.name), exists: p.found !== false, note: 'kept while hibernated' })),
    },
    launch: { type: sb ? launchType(sb) : undefined, timeToReadyMs: ready?.ms, measuredFrom: ready?.from },
    isolation: { runtimeClassName: rc, runtime: runtimeName(rc), isolated, warning: isolated ? undefined : notIsolatedWarning(rc) },
    placement: {
      node: (sb && nodeName(sb)) ?? str(pod?.spec?.['nodeName']),
      podIPs: sb && podIPs(sb).length ? podIPs(sb) : ((pod?.status?.['podIPs'] as { ip?: string }[] | undefined) ?? []).map((p) => p.ip ?? '').filter(Boolean),
      hostIP: str(pod?.status?.['hostIP']),
      podPhase: str(pod?.status?.['phase']),
      restarts: restarts(pod),
    },
    lifecycle: {
      shutdownTime: str(spec['shutdownTime']),
      shutdownPolicy: str(spec['shutdownPolicy']),
      claimShutdownTime: str(claimLifecycle?.['shutdownTime']),
      claimShutdownPolicy: str(claimLifecycle?.['shutdownPolicy']),
      createdAt: sb?.metadata.creationTimestamp,
    },
    claim: claim
      ? {
          name: claim.metadata.name,
          createdBy: claimCreator(claim),
          serviceFQDN: claimServiceFqdn(claim),
          latency: claimLatencyText(claim),
          waiting: claimStatus(claim).waiting,
        }
      : undefined,
    events: recentEvents(input.events),
    eventsError: input.eventsError,
    actions: actionsFor(state, gone, !!podName, input.can),
  };
}

/** The PVC names a sandbox owns (from its volumeClaimTemplates). */
export function sandboxPvcNames(sb: KubeObject | undefined): string[] {
  return sb ? retainedPvcs(sb) : [];
}

/** The Service the sandbox has or should have: status.service, else its name when spec.service is true. */
export function sandboxServiceName(sb: KubeObject | undefined): string | undefined {
  if (!sb) return undefined;
  return str(sb.status?.['service']) ?? (sb.spec?.['service'] === true ? sb.metadata.name : undefined);
}
