import type { KindName } from '../k8s/resources';
import type { KubeObject, ObjectMeta } from './objects';
import { rec } from './objects';
import { StringTable } from './strings';

/** What the model stores: the agent-sandbox kinds and the sandboxes' pods. */
export type StoredKind = KindName | 'Pod';

/** kubectl apply's copy of the whole object as last applied: nothing reads it from the model. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/*
 * The model holds every watched object for as long as the context is open: at 10,000 sandboxes the
 * objects as served (managedFields, each pod template's env, commands, probes, volumes and security
 * contexts, each pod's whole spec) are most of the extension's heap, and nothing reads them from
 * the model. So the model keeps, per kind, what its readers use, with repeated strings shared
 * (strings.ts). Whatever needs a whole object reads it from the API: Show YAML and Edit YAML GET
 * it, the details and pool panels run their own watches.
 *
 * Kept, by reader (slim.test.ts proves each one still answers the same on a slimmed object):
 * - every kind: metadata without managedFields and the last-applied annotation.
 * - Sandbox: status whole; spec whole except
 *   - spec.podTemplate: of its spec only runtimeClassName (runtimeClassOf), overhead
 *     (podSpecRequests) and, per container and init container, name (containerNames, the
 *     terminal's container choice, files' locator), image, ports (declaredPorts), workingDir
 *     (specWorkingDir), resources and restartPolicy (podSpecRequests, the cost of a sandbox);
 *   - spec.volumeClaimTemplates: each one's metadata.name (retainedPvcs) and spec.resources
 *     (sandboxStorage).
 * - SandboxClaim, SandboxWarmPool, SandboxTemplate: spec and status whole (they are few, or small,
 *   and the template's readers — tooltips, claim wizard, cost — read much of it).
 * - Pod, read only by podProblem and ownedPod: metadata's name, namespace, uid, resourceVersion,
 *   timestamps and ownerReferences; of status the phase, reason, message, the PodScheduled
 *   condition and, per container, name, restartCount, state.waiting and lastState.terminated's
 *   exitCode and reason. No spec.
 */

/** Values one object has alone: not worth sharing (and they would crowd the table). */
const UNIQUE: ReadonlySet<string> = new Set([
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'deletionTimestamp',
  'lastTransitionTime',
  'lastProbeTime',
  'lastUpdateTime',
  'startedAt',
  'finishedAt',
  'startTime',
  'shutdownTime',
  'podIP',
  'podIPs',
  'containerID',
  'imageID',
  'serviceFQDN',
  'selector',
]);

/**
 * A slimmed copy of an object as served. New objects, never `delete` on the parsed ones (that
 * turns them into larger dictionary-mode objects); the object given is not changed. The model
 * passes its own string table; without one, a fresh table is used.
 */
export function slim(kind: StoredKind, obj: KubeObject, strings = new StringTable()): KubeObject {
  if (!obj || typeof obj !== 'object' || !obj.metadata) return obj;
  const out: Record<string, unknown> = {};
  const src = obj as unknown as Record<string, unknown>;
  for (const k in src) {
    const v = src[k];
    let kept: unknown;
    if (k === 'metadata') kept = kind === 'Pod' ? podMeta(obj.metadata, strings) : slimMeta(obj.metadata, strings);
    else if (k === 'spec') kept = kind === 'Pod' ? undefined : kind === 'Sandbox' ? sandboxSpec(rec(v), strings) : strings.copy(v, UNIQUE);
    else if (k === 'status') kept = kind === 'Pod' ? podStatus(rec(v), strings) : strings.copy(v, UNIQUE);
    else kept = typeof v === 'string' ? strings.get(v) : v;
    if (kept !== undefined) out[k] = kept;
  }
  return out as unknown as KubeObject;
}

/** The ingestion step for one kind, as the informer takes it, sharing strings through `strings`. */
export function slimmer(kind: StoredKind, strings = new StringTable()): (obj: KubeObject) => KubeObject {
  return (obj) => slim(kind, obj, strings);
}

function slimMeta(meta: ObjectMeta, t: StringTable): ObjectMeta {
  const out: Record<string, unknown> = {};
  const src = meta as unknown as Record<string, unknown>;
  for (const k in src) {
    const v = src[k];
    if (k === 'managedFields') continue;
    if (k === 'annotations' && rec(v) && LAST_APPLIED in (v as object)) {
      const { [LAST_APPLIED]: _lastApplied, ...rest } = v as Record<string, string>;
      out[k] = t.copy(rest);
    } else out[k] = UNIQUE.has(k) || k === 'name' ? v : t.copy(v, UNIQUE);
  }
  return out as unknown as ObjectMeta;
}

const POD_META_KEPT = ['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'ownerReferences'] as const;

function podMeta(meta: ObjectMeta, t: StringTable): ObjectMeta {
  const out: Record<string, unknown> = {};
  for (const k of POD_META_KEPT) if (meta[k] !== undefined) out[k] = k === 'namespace' || k === 'ownerReferences' ? t.copy(meta[k], UNIQUE) : meta[k];
  return out as unknown as ObjectMeta;
}

const TEMPLATE_SPEC_KEPT = ['runtimeClassName', 'overhead'] as const;
const CONTAINER_KEPT = ['name', 'image', 'ports', 'workingDir', 'resources', 'restartPolicy'] as const;

function sandboxSpec(spec: Record<string, unknown> | undefined, t: StringTable): Record<string, unknown> | undefined {
  if (!spec) return undefined;
  const out: Record<string, unknown> = {};
  for (const k in spec) {
    const v = spec[k];
    if (k === 'podTemplate') out[k] = podTemplate(rec(v), t);
    else if (k === 'volumeClaimTemplates' && Array.isArray(v)) out[k] = v.map((c) => claimTemplate(rec(c), t));
    else out[k] = t.copy(v, UNIQUE);
  }
  return out;
}

function podTemplate(template: Record<string, unknown> | undefined, t: StringTable): Record<string, unknown> {
  const spec = rec(template?.['spec']);
  if (!spec) return {};
  const kept = pick(spec, TEMPLATE_SPEC_KEPT, t) ?? {};
  for (const list of ['containers', 'initContainers'] as const) {
    const containers = spec[list];
    if (Array.isArray(containers)) kept[list] = containers.map((c) => pick(rec(c), CONTAINER_KEPT, t) ?? {});
  }
  return { spec: kept };
}

function claimTemplate(c: Record<string, unknown> | undefined, t: StringTable): Record<string, unknown> {
  const name = rec(c?.['metadata'])?.['name'];
  const resources = rec(c?.['spec'])?.['resources'];
  const out: Record<string, unknown> = {};
  if (name !== undefined) out['metadata'] = { name: t.copy(name) };
  if (resources !== undefined) out['spec'] = { resources: t.copy(resources) };
  return out;
}

const POD_STATUS_KEPT = ['phase', 'reason', 'message'] as const;

function podStatus(status: Record<string, unknown> | undefined, t: StringTable): Record<string, unknown> | undefined {
  if (!status) return undefined;
  const kept = pick(status, POD_STATUS_KEPT, t) ?? {};
  if (Array.isArray(status['conditions']))
    kept['conditions'] = status['conditions'].filter((c) => rec(c)?.['type'] === 'PodScheduled').map((c) => t.copy(c, UNIQUE));
  for (const list of ['initContainerStatuses', 'containerStatuses'] as const) {
    const statuses = status[list];
    if (Array.isArray(statuses)) kept[list] = statuses.map((c) => containerStatus(rec(c), t));
  }
  return kept;
}

function containerStatus(c: Record<string, unknown> | undefined, t: StringTable): Record<string, unknown> {
  const out = pick(c, ['name', 'restartCount'], t) ?? {};
  const waiting = rec(rec(c?.['state'])?.['waiting']);
  if (waiting) out['state'] = { waiting: pick(waiting, ['reason', 'message'], t) ?? {} };
  const terminated = rec(rec(c?.['lastState'])?.['terminated']);
  if (terminated) out['lastState'] = { terminated: pick(terminated, ['exitCode', 'reason'], t) ?? {} };
  return out;
}

/** The named keys that are present (their values' strings shared), or undefined when none is. */
function pick(from: Record<string, unknown> | undefined, keys: readonly string[], t: StringTable): Record<string, unknown> | undefined {
  if (!from) return undefined;
  let out: Record<string, unknown> | undefined;
  for (const k of keys) if (from[k] !== undefined) (out ??= {})[k] = t.copy(from[k], UNIQUE);
  return out;
}
