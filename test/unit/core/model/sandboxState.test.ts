import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../../src/core/model/objects';
import {
  isAdoptedBy,
  isHibernated,
  isReady,
  podName,
  retainedPvcs,
  runtimeName,
  sandboxState,
  SandboxState,
  suspendPatch,
} from '../../../../src/core/model/sandbox';

const cond = (type: string, status: string, reason?: string, message?: string) => ({ type, status, reason, message });

function sb(spec: Record<string, unknown>, conditions: ReturnType<typeof cond>[], extra: Partial<KubeObject> = {}): KubeObject {
  return { metadata: { name: 'py-pool-abcde', namespace: 'demo', ...(extra.metadata ?? {}) }, spec, status: { conditions, ...(extra.status ?? {}) } };
}

describe('sandboxState (v1beta1, agent-sandbox v0.5.x)', () => {
  const table: [string, KubeObject, SandboxState][] = [
    ['ready', sb({ operatingMode: 'Running' }, [cond('Ready', 'True', 'DependenciesReady'), cond('Suspended', 'False', 'NotSuspended')]), 'Running'],
    ['provisioning', sb({ operatingMode: 'Running' }, [cond('Ready', 'False', 'DependenciesNotReady', 'Pod does not exist')]), 'Starting'],
    ['no conditions yet', sb({}, []), 'Starting'],
    [
      'suspending',
      sb({ operatingMode: 'Suspended' }, [cond('Ready', 'False', 'SandboxSuspended', 'Sandbox is suspending'), cond('Suspended', 'False', 'PodTerminating')]),
      'Hibernating',
    ],
    ['suspended', sb({ operatingMode: 'Suspended' }, [cond('Ready', 'False', 'SandboxSuspended'), cond('Suspended', 'True', 'PodTerminated')]), 'Hibernated'],
    [
      'stale Suspended=True after resume (v0.5.0–0.5.3) is not hibernated',
      sb({ operatingMode: 'Running' }, [cond('Ready', 'True', 'DependenciesReady'), cond('Suspended', 'True', 'PodTerminated')]),
      'Running',
    ],
    ['resuming', sb({ operatingMode: 'Running' }, [cond('Ready', 'False', 'DependenciesNotReady'), cond('Suspended', 'False', 'NotSuspended')]), 'Starting'],
    ['expired', sb({}, [cond('Ready', 'False', 'SandboxExpired')]), 'Expired'],
    ['pod failed', sb({}, [cond('Ready', 'False', 'PodFailed'), cond('Finished', 'True', 'PodFailed')]), 'Failed'],
    ['pod succeeded', sb({}, [cond('Ready', 'False', 'PodSucceeded'), cond('Finished', 'True', 'PodSucceeded')]), 'Finished'],
    ['reconciler error', sb({}, [cond('Ready', 'False', 'ReconcilerError', 'Error seen: x')]), 'Failed'],
  ];
  for (const [name, obj, expected] of table) it(name, () => assert.equal(sandboxState(obj), expected));
});

describe('sandboxState (v1alpha1, agent-sandbox v0.1–v0.4)', () => {
  it('replicas 1 and Ready is Running', () => assert.equal(sandboxState(sb({ replicas: 1 }, [cond('Ready', 'True', 'DependenciesReady')])), 'Running'));
  it('replicas 0 with status.replicas 0 is Hibernated', () =>
    assert.equal(
      sandboxState(sb({ replicas: 0 }, [cond('Ready', 'False', 'DependenciesNotReady', 'Pod does not exist, replicas is 0')], { status: { replicas: 0 } })),
      'Hibernated',
    ));
  it('replicas 0 while the pod still exists is Hibernating', () =>
    assert.equal(
      sandboxState(
        sb({ replicas: 0 }, [cond('Ready', 'True')], { status: { replicas: 1 }, metadata: { name: 'x', annotations: { 'agents.x-k8s.io/pod-name': 'x' } } }),
      ),
      'Hibernating',
    ));
});

describe('sandbox helpers', () => {
  it('suspend patch bodies differ by version', () => {
    assert.deepEqual(suspendPatch('v1beta1', true), { spec: { operatingMode: 'Suspended' } });
    assert.deepEqual(suspendPatch('v1beta1', false), { spec: { operatingMode: 'Running' } });
    assert.deepEqual(suspendPatch('v1alpha1', true), { spec: { replicas: 0 } });
    assert.deepEqual(suspendPatch('v1alpha1', false), { spec: { replicas: 1 } });
  });
  it('pod name is the sandbox name (v1.0); a stale pod-name annotation is only a fallback', () => {
    const annotated = { metadata: { name: 'a', annotations: { 'agents.x-k8s.io/pod-name': 'pool-pod-1' } } };
    // v1beta1 object with an annotation left over from an older controller: the pod is "a".
    assert.equal(podName(sb({ operatingMode: 'Running' }, [cond('Ready', 'True')], annotated)), 'a');
    // v1alpha1 (v0.1–v0.4) could adopt a pod with another name: the annotation names it.
    assert.equal(podName(sb({ replicas: 1 }, [cond('Ready', 'True')], annotated)), 'pool-pod-1');
    // With the pods known: the annotated one only when no pod has the sandbox's name.
    assert.equal(
      podName(sb({ operatingMode: 'Running' }, [cond('Ready', 'True')], annotated), (n) => n === 'pool-pod-1'),
      'pool-pod-1',
    );
    assert.equal(
      podName(sb({ operatingMode: 'Running' }, [cond('Ready', 'True')], annotated), (n) => n === 'a' || n === 'pool-pod-1'),
      'a',
    );
    assert.equal(podName(sb({}, [cond('Ready', 'True')], { metadata: { name: 'a' } })), 'a');
    assert.equal(podName(sb({ operatingMode: 'Suspended' }, [cond('Suspended', 'True')], { metadata: { name: 'a' } })), undefined);
  });
  it('runtime names', () => {
    assert.equal(runtimeName('gvisor'), 'gVisor');
    assert.equal(runtimeName('kata-qemu'), 'Kata');
    assert.equal(runtimeName(undefined), 'runc');
    assert.equal(runtimeName('wasm'), 'wasm');
  });
  it('retained PVCs are <vct>-<sandbox>', () => {
    assert.deepEqual(retainedPvcs(sb({ volumeClaimTemplates: [{ metadata: { name: 'workspace' } }] }, [], { metadata: { name: 's1' } })), ['workspace-s1']);
  });
  it('isReady and isHibernated', () => {
    assert.equal(isReady(sb({ operatingMode: 'Running' }, [cond('Ready', 'True')])), true);
    assert.equal(isReady(sb({ operatingMode: 'Suspended' }, [cond('Ready', 'True')])), false);
    assert.equal(isHibernated(sb({ operatingMode: 'Suspended' }, [cond('Suspended', 'True')])), true);
  });
});

describe("isAdoptedBy (a claim's sandbox mid-adoption from a warm pool)", () => {
  const ready = [cond('Ready', 'True', 'DependenciesReady')];
  const owner = (kind: string, name: string) => ({ kind, name, uid: 'u', controller: true });
  const pool = {
    name: 'py-pool-abcde',
    namespace: 'demo',
    labels: { 'agents.x-k8s.io/warm-pool-sandbox': 'hash' },
    ownerReferences: [owner('SandboxWarmPool', 'py-pool')],
  };
  it("the pool's copy (named by the claim annotation, still labelled and pool-owned) is not adopted yet", () =>
    assert.equal(isAdoptedBy(sb({}, ready, { metadata: pool }), 'c1'), false));
  it('label dropped but still owned by the pool is not adopted', () =>
    assert.equal(isAdoptedBy(sb({}, ready, { metadata: { ...pool, labels: {} } }), 'c1'), false));
  it('owned by this claim and unlabelled is adopted', () =>
    assert.equal(isAdoptedBy(sb({}, ready, { metadata: { ...pool, labels: {}, ownerReferences: [owner('SandboxClaim', 'c1')] } }), 'c1'), true));
  it('owned by another claim is not adopted by this one', () =>
    assert.equal(isAdoptedBy(sb({}, ready, { metadata: { ...pool, labels: {}, ownerReferences: [owner('SandboxClaim', 'c2')] } }), 'c1'), false));
  it('a cold sandbox with no controller owner counts as adopted', () => assert.equal(isAdoptedBy(sb({}, ready), 'c1'), true));
});
