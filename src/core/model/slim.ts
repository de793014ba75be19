import type { KindName } from '../k8s/resources';
import type { KubeObject, ObjectMeta } from './objects';
import { rec } from './objects';

/** What the model stores: the agent-sandbox kinds and the sandboxes' pods. */
export type StoredKind = KindName | 'Pod';

/** kubectl apply's copy of the whole object as last applied: nothing reads it from the model. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/*
 * The model holds every watched object for as long as the context is open: at 10,000 sandboxes the
 * objects as served (managedFields, each pod template's env, commands, probes, volumes and security
 * contexts, each pod's whole spec) are most of the extension's heap, and nothing reads them from
 * the model. So the model keeps, per kind, what its readers use and no more. Whatever needs a whole
 * object reads it from the API itself: Show YAML and Edit YAML GET it, the details and pool panels
 * run their own watches.
 *
 * Kept, by reader (slim.test.ts proves each one still answers the same on a slimmed object):
 * - every kind: metadata without managedFields and the last-applied annotation; status whole.
 * - Sandbox: spec whole except spec.podTemplate, of which only spec.podTemplate.spec's
 *   runtimeClassName (runtimeClassOf), overhead (podSpecRequests) and, per container and init
 *   container, name (containerNames, the terminal's container choice, files' locator), image,
 *   ports (declaredPorts), workingDir (specWorkingDir), resources and restartPolicy
 *   (podSpecRequests, the cost of a sandbox).
 * - SandboxClaim, SandboxWarmPool, SandboxTemplate: spec whole (they are few, or small, and the
 *   template's readers — tooltips, claim wizard, cost — read much of it).
 * - Pod (podProblem, ownedPod): metadata, spec.nodeName and spec.runtimeClassName, and of status the
 *   phase, reason, message, conditions, IPs, start time and, per container, what podProblem reads.
 */

/** Returns a slimmed copy; new objects rather than `delete`, which would leave slower, larger dictionary-mode objects. */
export function slim(kind: StoredKind, obj: KubeObject): KubeObject {
  if (!obj || typeof obj !== 'object' || !obj.metadata) return obj;
  const metadata = slimMeta(obj.metadata);
  if (kind === 'Sandbox' && obj.spec) return { ...obj, metadata, spec: slimSandboxSpec(obj.spec) };
  if (kind !== 'Pod') return { ...obj, metadata };
  const { spec: fullSpec, status: fullStatus, ...rest } = obj;
  const out: KubeObject = { ...rest, metadata };
  const spec = pick(rec(fullSpec), POD_SPEC_KEPT);
  if (spec) out.spec = spec;
  const status = slimPodStatus(rec(fullStatus));
  if (status) out.status = status;
  return out;
}

/** The ingestion step for one kind, as the informer takes it. */
export function slimmer(kind: StoredKind): (obj: KubeObject) => KubeObject {
  return (obj) => slim(kind, obj);
}

function slimMeta(meta: ObjectMeta): ObjectMeta {
  const { managedFields: _dropped, ...kept } = meta as ObjectMeta & { managedFields?: unknown };
  const annotations = kept.annotations;
  if (annotations && LAST_APPLIED in annotations) {
    const { [LAST_APPLIED]: _lastApplied, ...rest } = annotations;
    kept.annotations = rest;
  }
  return kept;
}

const POD_SPEC_KEPT = ['nodeName', 'runtimeClassName'] as const;
const TEMPLATE_SPEC_KEPT = ['runtimeClassName', 'overhead'] as const;
const CONTAINER_KEPT = ['name', 'image', 'ports', 'workingDir', 'resources', 'restartPolicy'] as const;

function slimSandboxSpec(spec: Record<string, unknown>): Record<string, unknown> {
  const template = rec(spec.podTemplate);
  if (!template) return spec;
  const podSpec = rec(template.spec);
  const kept: Record<string, unknown> = { ...pick(podSpec, TEMPLATE_SPEC_KEPT) };
  for (const list of ['containers', 'initContainers'] as const) {
    if (Array.isArray(podSpec?.[list])) kept[list] = (podSpec[list] as unknown[]).map((c) => pick(rec(c), CONTAINER_KEPT) ?? {});
  }
  return { ...spec, podTemplate: podSpec ? { spec: kept } : {} };
}

const POD_STATUS_KEPT = ['phase', 'reason', 'message', 'conditions', 'podIP', 'podIPs', 'hostIP', 'startTime'] as const;
const CONTAINER_STATUS_KEPT = ['name', 'state', 'lastState', 'restartCount', 'ready', 'started'] as const;

function slimPodStatus(status: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!status) return undefined;
  const kept: Record<string, unknown> = { ...pick(status, POD_STATUS_KEPT) };
  for (const list of ['containerStatuses', 'initContainerStatuses'] as const) {
    if (Array.isArray(status[list])) kept[list] = (status[list] as unknown[]).map((c) => pick(rec(c), CONTAINER_STATUS_KEPT) ?? {});
  }
  return kept;
}

/** The named keys that are present, or undefined when none is. */
function pick(from: Record<string, unknown> | undefined, keys: readonly string[]): Record<string, unknown> | undefined {
  if (!from) return undefined;
  let out: Record<string, unknown> | undefined;
  for (const k of keys) if (from[k] !== undefined) (out ??= {})[k] = from[k];
  return out;
}
