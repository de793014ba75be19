// Why a sandbox is stuck Starting, read from real-shaped pod objects (kube-scheduler/kubelet output).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../../src/core/model/objects';
import { ownedPod, podProblem, sandboxProblem } from '../../../../src/core/model/podProblem';
import { sandboxDescription, sandboxTooltip } from '../../../../src/core/model/present';

const UNSCHEDULABLE =
  '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {sandbox.gke.io/runtime: gvisor}. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.';

function pod(status: Record<string, unknown>, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {
    metadata: {
      name: 'big-1',
      namespace: 'demo',
      uid: 'p1',
      ownerReferences: [{ apiVersion: 'agents.x-k8s.io/v1beta1', kind: 'Sandbox', name: 'big-1', uid: 's1', controller: true }],
      ...extra,
    },
    spec: { containers: [{ name: 'agent', image: 'python:3.12-slim' }] },
    status,
  };
}
const starting: KubeObject = {
  metadata: { name: 'big-1', namespace: 'demo', uid: 's1', creationTimestamp: '2026-12-01T10:00:00Z' },
  spec: { operatingMode: 'Running', podTemplate: { spec: { runtimeClassName: 'gvisor' } } },
  status: { conditions: [{ type: 'Ready', status: 'False', reason: 'DependenciesNotReady', message: 'Pod exists with phase: Pending' }] },
};

describe('podProblem', () => {
  it('unschedulable: the scheduler message from PodScheduled', () => {
    const p = pod({
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: UNSCHEDULABLE, lastTransitionTime: '2026-12-01T10:00:01Z' }],
      qosClass: 'Burstable',
    });
    assert.deepEqual(podProblem(p), { summary: 'unschedulable', reason: 'Unschedulable', message: UNSCHEDULABLE });
  });
  it('unbound PVC is "waiting for volume"', () => {
    const msg =
      '0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.';
    const p = pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: msg }] });
    assert.equal(podProblem(p)?.summary, 'waiting for volume');
  });
  it('image pull back-off names the container and keeps the kubelet message', () => {
    const p = pod({
      phase: 'Pending',
      conditions: [
        { type: 'PodScheduled', status: 'True' },
        { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
      ],
      containerStatuses: [
        {
          name: 'agent',
          ready: false,
          restartCount: 0,
          image: 'nope:1',
          state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nope:1"' } },
        },
      ],
    });
    assert.deepEqual(podProblem(p), { summary: 'image pull failing', reason: 'ImagePullBackOff', message: 'container agent: Back-off pulling image "nope:1"' });
  });
  it('crash loop with the last exit code', () => {
    const p = pod({
      phase: 'Running',
      conditions: [{ type: 'PodScheduled', status: 'True' }],
      containerStatuses: [
        {
          name: 'agent',
          restartCount: 5,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s restarting failed container=agent' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error' } },
        },
      ],
    });
    const pr = podProblem(p);
    assert.equal(pr?.summary, 'crash loop');
    assert.match(pr?.message ?? '', /container agent keeps crashing \(last exit code 1, Error\), restarted 5 times/);
  });
  it('an init container that cannot start comes first', () => {
    const p = pod({
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'True' }],
      initContainerStatuses: [{ name: 'setup', state: { waiting: { reason: 'CreateContainerConfigError', message: 'secret "creds" not found' } } }],
      containerStatuses: [{ name: 'agent', state: { waiting: { reason: 'PodInitializing' } } }],
    });
    assert.deepEqual(podProblem(p), {
      summary: 'cannot start',
      reason: 'CreateContainerConfigError',
      message: 'init container setup: secret "creds" not found',
    });
  });
  it('mount failures from events when the pod itself says nothing', () => {
    const p = pod({
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'True' }],
      containerStatuses: [{ name: 'agent', state: { waiting: { reason: 'ContainerCreating' } } }],
    });
    const ev = {
      metadata: { name: 'e1', namespace: 'demo' },
      type: 'Warning',
      reason: 'FailedMount',
      message: 'MountVolume.SetUp failed for volume "workspace"',
      lastTimestamp: '2026-12-01T10:00:05Z',
    } as unknown as KubeObject;
    assert.deepEqual(podProblem(p, [ev]), { summary: 'waiting for volume', reason: 'FailedMount', message: 'MountVolume.SetUp failed for volume "workspace"' });
  });
  it('a healthy, a starting, a finished or a deleting pod has no problem', () => {
    assert.equal(
      podProblem(
        pod({
          phase: 'Running',
          conditions: [
            { type: 'PodScheduled', status: 'True' },
            { type: 'Ready', status: 'True' },
          ],
          containerStatuses: [{ name: 'agent', state: { running: {} } }],
        }),
      ),
      undefined,
    );
    assert.equal(
      podProblem(
        pod({
          phase: 'Pending',
          conditions: [{ type: 'PodScheduled', status: 'True' }],
          containerStatuses: [{ name: 'agent', state: { waiting: { reason: 'ContainerCreating' } } }],
        }),
      ),
      undefined,
    );
    assert.equal(podProblem(pod({ phase: 'Succeeded' })), undefined);
    assert.equal(
      podProblem(
        pod(
          { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'x' }] },
          { deletionTimestamp: '2026-12-01T10:00:00Z' },
        ),
      ),
      undefined,
    );
    assert.equal(podProblem(undefined), undefined);
  });
});

describe('sandboxProblem and the tree text', () => {
  const p = pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: UNSCHEDULABLE }] });
  it('says "Pending — unschedulable" with the scheduler message in the tooltip', () => {
    const pr = sandboxProblem(starting, p);
    assert.ok(pr);
    assert.match(sandboxDescription(starting, Date.parse('2026-12-01T10:01:00Z'), pr), /^Pending — unschedulable · gVisor · 60s$/);
    assert.match(sandboxTooltip(starting, 0, pr), /Insufficient cpu/);
  });
  it('falls back to the sandbox PodScheduled condition (v1.0 mirrors the pod) without a pod', () => {
    const sb = {
      ...starting,
      status: {
        conditions: [
          ...(starting.status?.['conditions'] as object[]),
          { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: UNSCHEDULABLE },
        ],
      },
    };
    assert.equal(sandboxProblem(sb, undefined)?.summary, 'unschedulable');
  });
  it('only while Starting', () => {
    const running = { ...starting, status: { conditions: [{ type: 'Ready', status: 'True' }] } };
    assert.equal(sandboxProblem(running, p), undefined);
  });
  it('finds the pod a sandbox owns by owner UID, else by name', () => {
    const other = pod({}, { name: 'other', ownerReferences: [{ kind: 'Sandbox', name: 'x', uid: 'sx', controller: true }] });
    assert.equal(ownedPod(starting, [other, p]), p);
    const byName = pod({}, { ownerReferences: [] });
    assert.equal(ownedPod(starting, [other, byName]), byName);
    assert.equal(ownedPod(starting, [other]), undefined);
  });
});
