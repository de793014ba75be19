// What the model keeps of each object (model/slim.ts): every reader of a model object answers the
// same on the slimmed copy as on the object as served, managedFields and the heavy parts of pod
// templates and pods are gone, and the ClusterModel stores only slimmed objects.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sandboxPvcNames, sandboxServiceName, timeToReady } from '../../../../src/core/details/sandboxDetails';
import { defaultContainer, specWorkingDir } from '../../../../src/core/files/locator';
import { DEFAULT_PRICES, sandboxCost, summarizeCost } from '../../../../src/core/finops/cost';
import { costLines, usageTooltip } from '../../../../src/core/finops/present';
import { sandboxRequests, sandboxStorage } from '../../../../src/core/finops/requests';
import { silentLogger } from '../../../../src/core/logging/logger';
import { claimCreator, claimExpiry, claimLatency, claimSandboxName, claimShutdownTime, claimSource, claimStatus } from '../../../../src/core/model/claim';
import { templateAllowsEnv } from '../../../../src/core/model/claimBody';
import { ClusterModel } from '../../../../src/core/model/clusterModel';
import type { KubeObject } from '../../../../src/core/model/objects';
import { ownedPod, podProblem, sandboxProblem } from '../../../../src/core/model/podProblem';
import { isPoolMember, poolReplicas, poolTemplateName } from '../../../../src/core/model/pool';
import {
  claimDescription,
  claimTooltip,
  poolTooltip,
  sandboxDescription,
  sandboxTooltip,
  templateDescription,
  templateTooltip,
} from '../../../../src/core/model/present';
import * as sandbox from '../../../../src/core/model/sandbox';
import { LAST_APPLIED, slim, StoredKind } from '../../../../src/core/model/slim';
import { StringTable } from '../../../../src/core/model/strings';
import { previewablePod } from '../../../../src/core/preview/resolvePreview';
import { agentPodTemplate, fleetClaim, fleetPod, fleetSandbox } from '../../../support/fleetObjects';
import { ScriptedTransport, tick } from '../../support/watchFakes';

const NOW = Date.parse('2026-08-01T12:00:00Z');
const json = (o: unknown) => JSON.stringify(o);
const hasManagedFields = (o: KubeObject) => 'managedFields' in o.metadata;

/** Every function that reads a Sandbox from the model, by name (their answers must not change). */
function sandboxReaders(sb: KubeObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(sandbox)) {
    if (typeof fn === 'function' && fn.length === 1 && name !== 'runtimeName' && name !== 'isIsolated') out[name] = (fn as (o: KubeObject) => unknown)(sb);
  }
  return {
    ...out,
    isAdoptedBy: sandbox.isAdoptedBy(sb, 'claim-7'),
    podName: sandbox.podName(sb),
    podNameKnowingPods: sandbox.podName(sb, () => false),
    specWorkingDir: specWorkingDir(sb, 'agent'),
    defaultContainer: defaultContainer(sb),
    requests: sandboxRequests(sb),
    storage: sandboxStorage(sb),
    cost: sandboxCost(sb, DEFAULT_PRICES),
    summary: summarizeCost([sb], DEFAULT_PRICES),
    costLines: costLines(sb, DEFAULT_PRICES),
    usage: usageTooltip(sb, { idleMs: 60_000, lastKind: 'terminal-input' }, DEFAULT_PRICES),
    description: sandboxDescription(sb, NOW),
    tooltip: sandboxTooltip(sb, NOW),
    pvcs: sandboxPvcNames(sb),
    service: sandboxServiceName(sb),
    timeToReady: timeToReady(sb, undefined),
    pool: isPoolMember({ metadata: { name: 'agent-pool', ...(sb.metadata.namespace === undefined ? {} : { namespace: sb.metadata.namespace }) } }, sb),
    previewable: (() => {
      try {
        return previewablePod(sb);
      } catch (err) {
        return (err as Error).message;
      }
    })(),
  };
}

/** The sandbox variants the readers branch on: bound, idle in a pool, hibernating, v1alpha1, unscheduled. */
function sandboxVariants(): KubeObject[] {
  const hibernating = fleetSandbox(2);
  hibernating.spec = { ...hibernating.spec, operatingMode: 'Suspended' };
  const v1alpha1 = fleetSandbox(3);
  v1alpha1.spec = { ...v1alpha1.spec, replicas: 1 };
  delete v1alpha1.spec['operatingMode'];
  v1alpha1.metadata.annotations = { ...v1alpha1.metadata.annotations, 'agents.x-k8s.io/pod-name': 'other-pod', [LAST_APPLIED]: json(v1alpha1) };
  const pending = fleetSandbox(4);
  pending.status = {
    conditions: [
      { type: 'Ready', status: 'False', reason: 'DependenciesNotReady', message: 'Pod is Pending' },
      { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: insufficient cpu' },
    ],
  };
  const noTemplate = fleetSandbox(5);
  noTemplate.spec = { operatingMode: 'Running' };
  return [fleetSandbox(7), fleetSandbox(1, 'team-1', true), hibernating, v1alpha1, pending, noTemplate];
}

describe('slim: what the model keeps of an object', () => {
  it('drops managedFields and the last-applied annotation from every kind, and keeps the rest of metadata', () => {
    for (const [kind, obj] of [
      ['Sandbox', fleetSandbox(1)],
      ['SandboxClaim', fleetClaim(1)],
    ] as [StoredKind, KubeObject][]) {
      obj.metadata.annotations = { ...obj.metadata.annotations, [LAST_APPLIED]: json(obj) };
      const s = slim(kind, obj);
      assert.ok(hasManagedFields(obj), 'the fixture has managedFields');
      assert.equal(hasManagedFields(s), false, `${kind}: no managedFields`);
      assert.equal(s.metadata.annotations?.[LAST_APPLIED], undefined, `${kind}: no last-applied copy`);
      const { managedFields: _m, annotations: _a, ...meta } = obj.metadata as KubeObject['metadata'] & { managedFields?: unknown };
      const { annotations: _b, ...kept } = s.metadata;
      assert.deepEqual(kept, meta, `${kind}: the rest of metadata is kept`);
      assert.ok(hasManagedFields(obj), 'the object as served is not changed');
    }
  });

  it('keeps every field the readers of a Sandbox use: each answers the same', () => {
    for (const sb of sandboxVariants()) {
      const s = slim('Sandbox', sb);
      assert.deepEqual(sandboxReaders(s), sandboxReaders(sb), `readers of ${sb.metadata.name}`);
      assert.deepEqual(s.status, sb.status, 'status is kept whole');
    }
    const readers = sandboxReaders(fleetSandbox(7));
    assert.deepEqual(readers['containerNames'], ['agent'], 'the fixture exercises the container readers');
    assert.equal((readers['declaredPorts'] as unknown[]).length, 2);
    assert.equal(readers['specWorkingDir'], '/workspace');
    assert.equal(readers['runtimeClassOf'], 'gvisor');
    assert.equal((readers['requests'] as { cpu: number }).cpu, 0.6, 'the main container and the sidecar (restartPolicy Always) are counted');
  });

  it("drops the pod template's env, commands, probes, volumes and pod metadata, and most of the bytes", () => {
    const full = fleetSandbox(7);
    const s = slim('Sandbox', full);
    const container = (s.spec?.['podTemplate'] as { spec: { containers: Record<string, unknown>[] } }).spec.containers[0];
    assert.deepEqual(Object.keys(container).sort(), ['image', 'name', 'ports', 'resources', 'workingDir']);
    assert.deepEqual(Object.keys((s.spec?.['podTemplate'] as { spec: object }).spec).sort(), ['containers', 'initContainers', 'runtimeClassName']);
    assert.equal((s.spec?.['podTemplate'] as { metadata?: unknown }).metadata, undefined);
    assert.deepEqual(
      s.spec?.['volumeClaimTemplates'],
      [{ metadata: { name: 'workspace' }, spec: { resources: { requests: { storage: '10Gi' } } } }],
      'of the claim templates, the names and sizes',
    );
    assert.ok(json(s).length < json(full).length / 3, `${json(s).length} bytes of ${json(full).length}`);
    assert.deepEqual(slim('Sandbox', s), s, 'slimming twice changes nothing');
  });

  it('keeps what podProblem and ownedPod read of a pod, whatever its state', () => {
    const running = fleetPod(7);
    const crashing = fleetPod(8);
    crashing.status = {
      ...crashing.status,
      phase: 'Running',
      containerStatuses: [
        {
          name: 'agent',
          restartCount: 5,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s' } },
          lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
          imageID: 'x',
          volumeMounts: [],
        },
      ],
    };
    const pulling = fleetPod(9);
    pulling.status = {
      phase: 'Pending',
      initContainerStatuses: [{ name: 'init-config', state: { waiting: { reason: 'ImagePullBackOff', message: 'not found' } } }],
      conditions: [{ type: 'PodScheduled', status: 'True' }],
    };
    const unscheduled = fleetPod(10);
    unscheduled.status = {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available' }],
    };
    const starting = fleetSandbox(8);
    starting.status = { conditions: [{ type: 'Ready', status: 'False', reason: 'DependenciesNotReady' }] };
    for (const [i, pod] of [
      [7, running],
      [8, crashing],
      [9, pulling],
      [10, unscheduled],
    ] as const) {
      const s = slim('Pod', pod);
      assert.deepEqual(podProblem(s), podProblem(pod), pod.metadata.name);
      assert.deepEqual(sandboxProblem(starting, s), sandboxProblem(starting, pod));
      assert.equal(ownedPod(fleetSandbox(i), [s]), s, 'its sandbox owns the slimmed pod');
    }
    assert.ok(podProblem(slim('Pod', crashing))?.message.includes('exit code 137'), 'the fixture exercises the container states');
    const s = slim('Pod', running);
    assert.equal(ownedPod(fleetSandbox(7), [slim('Pod', fleetPod(6)), s]), s, 'found by its controller reference');
    assert.equal(s.spec, undefined, 'no pod spec');
    assert.deepEqual(Object.keys(s.metadata).sort(), ['creationTimestamp', 'name', 'namespace', 'ownerReferences', 'resourceVersion', 'uid']);
    assert.deepEqual(
      s.status?.['conditions'],
      (running.status?.['conditions'] as { type: string }[]).filter((c) => c.type === 'PodScheduled'),
      'of the conditions, PodScheduled',
    );
    assert.equal(hasManagedFields(s), false);
    assert.ok(json(s).length < json(running).length / 4, `${json(s).length} bytes of ${json(running).length}`);
  });

  it('keeps claims, pools and templates whole but for metadata: their readers answer the same', () => {
    const claim = fleetClaim(7);
    const claimReaders = (c: KubeObject) => [
      claimSandboxName(c),
      claimSource(c),
      claimStatus(c),
      claimCreator(c),
      claimShutdownTime(c),
      claimExpiry(c, NOW),
      claimLatency(c),
      claimDescription(c, NOW),
      claimTooltip(c, NOW),
    ];
    assert.deepEqual(claimReaders(slim('SandboxClaim', claim)), claimReaders(claim));
    const template: KubeObject = {
      metadata: { name: 'agent-template', namespace: 'team-7' },
      spec: { envVarsInjectionPolicy: 'Allowed', podTemplate: agentPodTemplate(7) },
    };
    const templateReaders = (t: KubeObject) => [
      sandbox.runtimeClassOf(t),
      sandbox.containerNames(t),
      sandboxRequests(t),
      templateAllowsEnv(t),
      templateDescription(t),
      templateTooltip(t),
    ];
    assert.deepEqual(templateReaders(slim('SandboxTemplate', template)), templateReaders(template));
    assert.deepEqual(slim('SandboxTemplate', template).spec, template.spec);
    const pool: KubeObject = {
      metadata: { name: 'agent-pool', namespace: 'team-7' },
      spec: { replicas: 5, sandboxTemplateRef: { name: 'agent-template' }, updateStrategy: { type: 'Recreate' } },
      status: { readyReplicas: 4, replicas: 5 },
    };
    const poolReaders = (p: KubeObject) => [poolReplicas(p), poolTemplateName(p), poolTooltip(p, template)];
    assert.deepEqual(poolReaders(slim('SandboxWarmPool', pool)), poolReaders(pool));
  });

  it('shares repeated strings through one bounded table, leaving values unique to an object out', () => {
    const t = new StringTable();
    slim('Sandbox', fleetSandbox(1, 'team-1'), t);
    const one = t.size;
    slim('Sandbox', fleetSandbox(2, 'team-1'), t);
    assert.ok(one > 20 && t.size - one < one / 3, `a second sandbox adds few strings (${one}, then ${t.size})`);
    const before = t.size;
    t.copy({ uid: 'a-new-uid', lastTransitionTime: 'a-new-time' }, new Set(['uid', 'lastTransitionTime']));
    assert.equal(t.size, before, 'values under unique keys are not put in the table');
    const small = new StringTable(10);
    for (let i = 0; i < 5; i++) slim('Sandbox', fleetSandbox(i, 'team-1'), small);
    assert.ok(small.size <= 10, 'bounded: it starts over when full');
  });

  it('the model stores slimmed objects, from lists and from watch events, sandboxes and pods alike', async () => {
    const transports = new Map<string, ScriptedTransport>();
    const pods = new ScriptedTransport();
    const model = new ClusterModel(
      { core: 'v1beta1', extensions: 'v1beta1' },
      { all: true },
      (kind) => {
        const t = new ScriptedTransport();
        transports.set(kind, t);
        return t;
      },
      silentLogger,
      0,
    );
    model.watchPods(() => pods);
    model.start();
    for (const [kind, t] of transports)
      t.lists[0].resolve({ items: kind === 'Sandbox' ? [fleetSandbox(7)] : kind === 'SandboxClaim' ? [fleetClaim(7)] : [], resourceVersion: '1' });
    pods.lists[0].resolve({ items: [fleetPod(7)], resourceVersion: '1' });
    await tick();
    const listed = model.get('Sandbox', 'team-7', fleetSandbox(7).metadata.name);
    assert.ok(listed, 'the listed sandbox is in the model');
    assert.equal(hasManagedFields(listed), false, 'no managedFields on a listed sandbox');
    assert.equal(json(listed).includes('MODEL_API_KEY'), false, 'no pod template env');
    assert.equal(hasManagedFields(model.all('SandboxClaim')[0]), false, 'no managedFields on a listed claim');
    const pod = model.sandboxPod(listed);
    assert.ok(pod, 'its pod is found');
    assert.equal(hasManagedFields(pod), false);
    assert.equal(pod.spec, undefined, 'no pod spec');

    const modified = fleetSandbox(7);
    modified.metadata.resourceVersion = '999999';
    transports.get('Sandbox')?.watches[0].emit({ type: 'MODIFIED', object: modified });
    const watched = model.get('Sandbox', 'team-7', modified.metadata.name);
    assert.equal(watched?.metadata.resourceVersion, '999999');
    assert.equal(hasManagedFields(watched), false, 'no managedFields on a watched sandbox');
    assert.equal(model.list('Sandbox', 'team-7')[0], watched, 'the sorted list holds the same slimmed copy');
    model.dispose();
  });
});
