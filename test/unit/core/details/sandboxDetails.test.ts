import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveLineage } from '../../../../src/core/details/lineage';
import { buildDetails, DetailsInput, recentEvents, timeToReady } from '../../../../src/core/details/sandboxDetails';
import type { KubeObject } from '../../../../src/core/model/objects';
import { PoolTracker } from '../../../../src/core/pool/poolTracker';

const NS = 'demo';
const template: KubeObject = {
  metadata: { name: 'py', namespace: NS },
  spec: { podTemplate: { spec: { runtimeClassName: 'gvisor', containers: [{ name: 'agent' }] } } },
};
const pool: KubeObject = {
  metadata: { name: 'py-pool', namespace: NS },
  spec: { replicas: 2, sandboxTemplateRef: { name: 'py' } },
  status: { readyReplicas: 1, replicas: 2 },
};
const claim: KubeObject = {
  metadata: {
    name: 'c1',
    namespace: NS,
    uid: 'cu1',
    creationTimestamp: '2026-08-22T10:00:00Z',
    annotations: { 'agents.x-k8s.io/claim-first-ready-at': '2026-08-22T10:00:00.350Z' },
  },
  spec: { warmPoolRef: { name: 'py-pool' }, lifecycle: { shutdownTime: '2026-08-23T00:00:00Z', shutdownPolicy: 'Delete' } },
  status: {
    sandbox: { name: 'py-pool-abcde' },
    conditions: [{ type: 'Ready', status: 'True', reason: 'DependenciesReady', lastTransitionTime: '2026-08-22T10:00:01Z' }],
  },
};
const sandbox: KubeObject = {
  metadata: {
    name: 'py-pool-abcde',
    namespace: NS,
    generation: 3,
    creationTimestamp: '2026-08-22T09:00:00Z',
    labels: { 'agents.x-k8s.io/launch-type': 'warm' },
    annotations: { 'agents.x-k8s.io/pod-name': 'py-pool-abcde', 'agents.x-k8s.io/sandbox-template-ref': 'py' },
    ownerReferences: [{ kind: 'SandboxClaim', name: 'c1', uid: 'cu1', controller: true }],
  },
  spec: {
    operatingMode: 'Running',
    shutdownTime: '2026-08-22T12:00:00Z',
    podTemplate: { spec: { runtimeClassName: 'gvisor', containers: [{ name: 'agent' }] } },
    volumeClaimTemplates: [{ metadata: { name: 'workspace' } }],
  },
  status: {
    podIPs: ['10.0.0.7'],
    nodeName: 'kwok-gvisor-node',
    service: 'py-pool-abcde',
    conditions: [
      { type: 'Ready', status: 'True', reason: 'DependenciesReady', lastTransitionTime: '2026-08-22T09:00:02Z', observedGeneration: 3 },
      { type: 'Suspended', status: 'False', reason: 'NotSuspended', observedGeneration: 2 },
    ],
  },
};
const model = (objs: KubeObject[]) => ({
  get: (kind: string, _ns: string, name: string) => objs.find((o) => (o.kind ?? kindOf(o)) === kind && o.metadata.name === name),
});
const kindOf = (o: KubeObject) => (o === template ? 'SandboxTemplate' : o === pool ? 'SandboxWarmPool' : o === claim ? 'SandboxClaim' : 'Sandbox');

function input(extra: Partial<DetailsInput> = {}): DetailsInput {
  return {
    context: 'local',
    namespace: NS,
    name: sandbox.metadata.name,
    sandbox,
    lineage: resolveLineage(model([template, pool, claim, sandbox]), sandbox),
    pvcs: [{ name: 'workspace-py-pool-abcde', found: true }],
    service: { name: 'py-pool-abcde', found: true },
    events: [],
    can: { terminal: true, files: false },
    ...extra,
  };
}

describe('details: lineage', () => {
  it('walks claim → pool → template from the owner reference', () => {
    const l = resolveLineage(model([template, pool, claim]), sandbox);
    assert.deepEqual([l.claim?.name, l.pool?.name, l.template?.name], ['c1', 'py-pool', 'py']);
    assert.ok(l.claim?.object && l.pool?.object && l.template?.object);
  });

  it('an idle pool member links to its pool; a missing object is named but not found', () => {
    const idle = { ...sandbox, metadata: { ...sandbox.metadata, ownerReferences: [{ kind: 'SandboxWarmPool', name: 'py-pool', uid: 'p', controller: true }] } };
    const l = resolveLineage(model([pool]), idle);
    assert.equal(l.claim, undefined);
    assert.equal(l.pool?.name, 'py-pool');
    assert.deepEqual(l.template, { name: 'py', object: undefined });
  });

  it('a direct sandbox falls back to its template annotation', () => {
    const direct = { ...sandbox, metadata: { ...sandbox.metadata, ownerReferences: [] } };
    assert.equal(resolveLineage(model([]), direct).template?.name, 'py');
  });
});

describe('details: snapshot', () => {
  it('shows state, every condition with staleness, and the lineage chain', () => {
    const s = buildDetails(input());
    assert.equal(s.state, 'Running');
    assert.deepEqual(
      s.conditions.map((c) => [c.type, c.status, c.reason, c.stale]),
      [
        ['Ready', 'True', 'DependenciesReady', false],
        ['Suspended', 'False', 'NotSuspended', true],
      ],
    );
    assert.deepEqual(
      [s.lineage.template?.ref.name, s.lineage.pool?.ref.name, s.lineage.claim?.ref.name, s.lineage.sandbox.ref.name],
      ['py', 'py-pool', 'c1', 'py-pool-abcde'],
    );
    assert.equal(s.lineage.claim?.note, 'Ready');
    assert.deepEqual(
      s.lineage.pvcs.map((p) => [p.ref.kind, p.ref.name, p.exists]),
      [['PersistentVolumeClaim', 'workspace-py-pool-abcde', true]],
    );
    assert.equal(s.lineage.service?.ref.name, 'py-pool-abcde');
  });

  it('times claim → Ready from the controller annotation, warm launch', () => {
    const s = buildDetails(input());
    assert.deepEqual(s.launch, { type: 'warm', timeToReadyMs: 350, measuredFrom: 'claim created → first Ready, recorded by the controller' });
    const noAnnotation = { ...claim, metadata: { ...claim.metadata, annotations: {} } };
    assert.equal(timeToReady(sandbox, noAnnotation)?.ms, 1000);
    assert.equal(timeToReady(sandbox, undefined)?.ms, 2000);
  });

  it('a claim that adopted an already Ready pool sandbox (its copied Ready condition predates the claim) reads 0, not a negative time', () => {
    const adopted = {
      ...claim,
      metadata: { ...claim.metadata, creationTimestamp: '2026-12-02T02:09:35Z', annotations: { 'agents.x-k8s.io/claim-first-ready-at': 'unknown' } },
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'DependenciesReady', lastTransitionTime: '2026-12-02T02:07:40Z' }] },
    };
    assert.deepEqual(timeToReady(sandbox, adopted), { ms: 0, from: 'the pool sandbox was already Ready when claimed, 1 s resolution' });
  });

  it('says clearly when the pod is not isolated', () => {
    const runc = { ...sandbox, spec: { ...sandbox.spec, podTemplate: { spec: { containers: [] } } } };
    const s = buildDetails(input({ sandbox: runc }));
    assert.equal(s.isolation.isolated, false);
    assert.equal(s.isolation.runtime, 'runc');
    assert.match(s.isolation.warning ?? '', /Not isolated/);
    const pod: KubeObject = {
      metadata: { name: 'py-pool-abcde' },
      spec: { runtimeClassName: 'kata-qemu', nodeName: 'n' },
      status: { phase: 'Running', hostIP: '1.2.3.4', containerStatuses: [{ restartCount: 2 }] },
    };
    const withPod = buildDetails(input({ sandbox: runc, pod }));
    assert.equal(withPod.isolation.runtime, 'Kata', "the pod's own runtimeClassName wins");
    assert.deepEqual([withPod.placement.hostIP, withPod.placement.restarts, withPod.placement.podPhase], ['1.2.3.4', 2, 'Running']);
  });

  it('carries node, IPs and lifecycle', () => {
    const s = buildDetails(input());
    assert.deepEqual(s.placement.podIPs, ['10.0.0.7']);
    assert.equal(s.placement.node, 'kwok-gvisor-node');
    assert.equal(s.lifecycle.shutdownTime, '2026-08-22T12:00:00Z');
    assert.equal(s.lifecycle.claimShutdownPolicy, 'Delete');
  });

  it('enables the actions that make sense for the state', () => {
    const enabled = (i: DetailsInput) =>
      buildDetails(i)
        .actions.filter((a) => a.enabled)
        .map((a) => a.id);
    assert.deepEqual(enabled(input()), ['hibernate', 'terminal', 'forwardPort', 'preview', 'editYaml', 'delete']);
    const hibernated = { ...sandbox, spec: { ...sandbox.spec, operatingMode: 'Suspended' }, status: { conditions: [{ type: 'Suspended', status: 'True' }] } };
    assert.deepEqual(enabled(input({ sandbox: hibernated })), ['resume', 'logs', 'editYaml', 'delete']);
    const gone = buildDetails(input({ sandbox: undefined }));
    assert.equal(gone.gone, true);
    assert.deepEqual(
      gone.actions.filter((a) => a.enabled),
      [],
    );
    assert.ok(buildDetails(input()).actions.find((a) => a.id === 'files')?.why, 'a disabled action says why');
  });

  it('lists recent events newest first, once each', () => {
    const ev = (uid: string, time: string, reason: string): KubeObject => ({
      metadata: { name: uid, uid },
      ...({ type: 'Normal', reason, message: reason, count: 1, lastTimestamp: time, involvedObject: { kind: 'Pod', name: 'p' } } as object),
    });
    const list = recentEvents([
      ev('1', '2026-08-22T10:00:00Z', 'Scheduled'),
      ev('2', '2026-08-22T10:00:05Z', 'Started'),
      ev('1', '2026-08-22T10:00:00Z', 'Scheduled'),
    ]);
    assert.deepEqual(
      list.map((e) => e.reason),
      ['Started', 'Scheduled'],
    );
    assert.equal(list[0].object, 'Pod/p');
  });
});

describe('pool tracker', () => {
  it('samples ready vs desired on change and times claims', () => {
    let now = 1_000_000;
    const tracker = new PoolTracker(() => now);
    const inputs = (p: KubeObject, claims: KubeObject[] = []) => ({
      context: 'c',
      namespace: NS,
      name: 'py-pool',
      pool: p,
      template,
      claims,
      sandboxes: [sandbox],
    });
    tracker.observe(inputs(pool));
    now += 1000;
    tracker.observe(inputs(pool));
    now += 1000;
    const s = tracker.observe(inputs({ ...pool, status: { readyReplicas: 2, replicas: 2 } }, [claim]));
    assert.deepEqual(
      s.history.map((x) => [x.ready, x.desired]),
      [
        [1, 2],
        [2, 2],
      ],
      'unchanged observations add no sample',
    );
    assert.equal(s.template?.runtime, 'gVisor');
    assert.deepEqual(
      s.claims.map((c) => [c.claim, c.launch, c.timeToReadyMs, c.source]),
      [['c1', 'warm', 350, 'annotation']],
    );
  });

  it('measures time to Ready itself when it saw the claim created', () => {
    const created = Date.parse('2026-08-22T10:00:00Z');
    let now = created + 200;
    const tracker = new PoolTracker(() => now);
    const fresh: KubeObject = { ...claim, metadata: { ...claim.metadata, annotations: {} }, status: {} };
    const inputs = (c: KubeObject) => ({ context: 'c', namespace: NS, name: 'py-pool', pool, template, claims: [c], sandboxes: [] });
    tracker.observe(inputs(fresh));
    now = created + 1700;
    const s = tracker.observe(inputs({ ...fresh, status: claim.status ?? {} }));
    assert.deepEqual([s.claims[0].timeToReadyMs, s.claims[0].source], [1500, 'watch']);
  });

  it('reads 0, not a negative time, for a claim whose Ready condition came from the pool sandbox it adopted', () => {
    const tracker = new PoolTracker(() => Date.parse('2026-12-02T03:00:00Z'));
    const adopted: KubeObject = {
      ...claim,
      metadata: { ...claim.metadata, creationTimestamp: '2026-12-02T02:09:35Z', annotations: { 'agents.x-k8s.io/claim-first-ready-at': 'unknown' } },
      status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-12-02T02:07:40Z' }] },
    };
    const s = tracker.observe({ context: 'c', namespace: NS, name: 'py-pool', pool, template, claims: [adopted], sandboxes: [] });
    assert.deepEqual([s.claims[0].timeToReadyMs, s.claims[0].source], [0, 'condition']);
  });
});

describe('details: v1.0 claims and stuck sandboxes', () => {
  it('shows the claim creator, service FQDN and recorded latency', () => {
    const v1claim: KubeObject = {
      ...claim,
      kind: 'SandboxClaim',
      metadata: {
        ...claim.metadata,
        labels: { 'agents.x-k8s.io/created-by': 'python-client' },
        annotations: {
          'agents.x-k8s.io/client-first-requested-at': '2026-08-22T10:00:00.000Z',
          'agents.x-k8s.io/controller-first-observed-at': '2026-08-22T10:00:00.050Z',
          'agents.x-k8s.io/claim-first-ready-at': '2026-08-22T10:00:00.350Z',
        },
      },
      status: { ...claim.status, sandbox: { name: 'py-pool-abcde', serviceFQDN: 'py-pool-abcde.demo.svc.cluster.local' } },
    };
    const s = buildDetails(input({ lineage: resolveLineage(model([template, pool, v1claim, sandbox]), sandbox) }));
    assert.deepEqual(s.claim, {
      name: 'c1',
      createdBy: 'python-client',
      serviceFQDN: 'py-pool-abcde.demo.svc.cluster.local',
      latency: 'requested → controller saw it 50 ms → Ready 300 ms (total 350 ms)',
      waiting: undefined,
    });
  });
  it('a sandbox whose pod cannot be scheduled says so, with the scheduler message', () => {
    const stuck: KubeObject = {
      ...sandbox,
      status: { conditions: [{ type: 'Ready', status: 'False', reason: 'DependenciesNotReady', message: 'Pod exists with phase: Pending' }] },
    };
    const pod: KubeObject = {
      metadata: { name: stuck.metadata.name, namespace: NS },
      status: {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/2 nodes are available: 2 Insufficient cpu.' }],
      },
    };
    const s = buildDetails(input({ sandbox: stuck, pod }));
    assert.equal(s.state, 'Pending — unschedulable');
    assert.equal(s.stateDetail, 'Unschedulable: 0/2 nodes are available: 2 Insufficient cpu.');
  });
});
