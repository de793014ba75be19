import { condition, KubeObject, str } from './objects';
import { sandboxState } from './sandbox';

/** Why a sandbox's pod is not running yet, in the words the tree shows ("Pending — unschedulable"). */
export interface PodProblem {
  /** Short phrase: unschedulable, waiting for volume, image pull failing, crash loop, cannot start. */
  summary: string;
  /** The scheduler's or kubelet's own message (untrusted text: escape before rendering). */
  message: string;
  /** The raw reason it came from (Unschedulable, ImagePullBackOff, CrashLoopBackOff, ...). */
  reason: string;
}

const IMAGE_REASONS: ReadonlySet<string> = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'RegistryUnavailable']);
const START_REASONS: ReadonlySet<string> = new Set([
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'PreCreateHookError',
  'PostStartHookError',
]);

interface ContainerStatus {
  name?: string;
  state?: { waiting?: { reason?: string; message?: string } };
  lastState?: { terminated?: { exitCode?: number; reason?: string } };
  restartCount?: number;
}

function statuses(pod: KubeObject, field: 'containerStatuses' | 'initContainerStatuses'): ContainerStatus[] {
  const list = pod.status?.[field];
  return Array.isArray(list) ? (list as ContainerStatus[]) : [];
}

function containerProblem(c: ContainerStatus, init: boolean): PodProblem | undefined {
  const w = c.state?.waiting;
  const reason = w?.reason;
  if (!reason) return undefined;
  const who = `${init ? 'init container' : 'container'} ${c.name ?? '?'}`;
  if (IMAGE_REASONS.has(reason)) return { summary: 'image pull failing', reason, message: `${who}: ${w?.message || reason}` };
  if (reason === 'CrashLoopBackOff') {
    const t = c.lastState?.terminated;
    const exit = t?.exitCode !== undefined ? ` (last exit code ${t.exitCode}${t.reason ? `, ${t.reason}` : ''})` : '';
    return {
      summary: 'crash loop',
      reason,
      message: `${who} keeps crashing${exit}, restarted ${c.restartCount ?? 0} times${w?.message ? `: ${w.message}` : ''}`,
    };
  }
  if (START_REASONS.has(reason)) return { summary: 'cannot start', reason, message: `${who}: ${w?.message || reason}` };
  return undefined;
}

/** Latest Warning event message for the pod with one of the reasons (events are optional input). */
function eventMessage(events: KubeObject[], reasons: string[]): string | undefined {
  const raw = events
    .map((e) => e as unknown as Record<string, unknown>)
    .filter((e) => reasons.includes(str(e['reason']) ?? ''))
    .sort(
      (a, b) =>
        (Date.parse(str(b['lastTimestamp']) ?? str(b['eventTime']) ?? '') || 0) - (Date.parse(str(a['lastTimestamp']) ?? str(a['eventTime']) ?? '') || 0),
    );
  const latest = raw[0];
  return latest ? (str(latest['message']) ?? str(latest['note'])) : undefined;
}

/**
 * Reads a pending pod's conditions and container states (and, when given, its events) for the
 * reason it cannot run. Undefined when the pod is fine or simply still starting.
 */
export function podProblem(pod: KubeObject | undefined, events: KubeObject[] = []): PodProblem | undefined {
  if (!pod || pod.metadata.deletionTimestamp) return undefined;
  const phase = str(pod.status?.['phase']);
  if (phase === 'Succeeded' || phase === 'Failed') return undefined;
  const scheduled = condition(pod, 'PodScheduled');
  if (scheduled?.status === 'False') {
    const message = scheduled.message || eventMessage(events, ['FailedScheduling']) || 'the scheduler found no node for the pod';
    const volume = /PersistentVolumeClaim|volume binding|unbound|bind volumes/i.test(message);
    return { summary: volume ? 'waiting for volume' : 'unschedulable', reason: scheduled.reason ?? 'Unschedulable', message };
  }
  for (const c of statuses(pod, 'initContainerStatuses')) {
    const p = containerProblem(c, true);
    if (p) return p;
  }
  for (const c of statuses(pod, 'containerStatuses')) {
    const p = containerProblem(c, false);
    if (p) return p;
  }
  if (phase === 'Pending') {
    const mount = eventMessage(events, ['FailedMount', 'FailedAttachVolume']);
    if (mount) return { summary: 'waiting for volume', reason: 'FailedMount', message: mount };
  }
  return undefined;
}

/** The pod a sandbox owns, among pods of its namespace: by controller owner reference, else by name. */
export function ownedPod(sandbox: KubeObject, pods: Iterable<KubeObject>): KubeObject | undefined {
  let byName: KubeObject | undefined;
  for (const p of pods) {
    const owner = p.metadata.ownerReferences?.find((r) => r.controller);
    if (owner && owner.kind === 'Sandbox' && (owner.uid === sandbox.metadata.uid || (!sandbox.metadata.uid && owner.name === sandbox.metadata.name))) return p;
    if (p.metadata.name === sandbox.metadata.name) byName = p;
  }
  return byName;
}

/** A sandbox's PodScheduled=False condition (v1.0 mirrors the pod's) as a problem, without the pod. */
export function sandboxSchedulingProblem(sb: KubeObject): PodProblem | undefined {
  const c = condition(sb, 'PodScheduled');
  if (c?.status !== 'False' || !c.message || !/Unschedulable|insufficient|didn't match|untolerated|nodes are available/i.test(`${c.reason} ${c.message}`))
    return undefined;
  const volume = /PersistentVolumeClaim|volume binding|unbound/i.test(c.message);
  return { summary: volume ? 'waiting for volume' : 'unschedulable', reason: c.reason ?? 'Unschedulable', message: c.message };
}

/** Why a sandbox is stuck Starting: its pod's problem, else its own PodScheduled condition. */
export function sandboxProblem(sb: KubeObject, pod: KubeObject | undefined, events: KubeObject[] = []): PodProblem | undefined {
  if (sandboxState(sb) !== 'Starting') return undefined;
  return podProblem(pod, events) ?? sandboxSchedulingProblem(sb);
}

/** "Pending — unschedulable". */
export function problemLabel(p: PodProblem): string {
  return `Pending — ${p.summary}`;
}
