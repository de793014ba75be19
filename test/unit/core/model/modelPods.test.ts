// ClusterModel's pod watch: only with watchPods, one per shown namespace, started and stopped with
// the model, and a pod change re-renders its sandbox's row.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeError } from '../../../../src/core/k8s/errors';
import type { ListResult, WatchEvent, WatchTransport } from '../../../../src/core/k8s/watchTransport';
import { silentLogger } from '../../../../src/core/logging/logger';
import { ClusterModel, ModelChange } from '../../../../src/core/model/clusterModel';
import type { KubeObject } from '../../../../src/core/model/objects';

class Scripted implements WatchTransport {
  lists: ((r: ListResult) => void)[] = [];
  emits: ((e: WatchEvent) => void)[] = [];
  closed = 0;
  constructor(readonly items: KubeObject[] = []) {}
  list(): Promise<ListResult> {
    return Promise.resolve({ items: this.items, resourceVersion: '1' });
  }
  watch(_rv: string, onEvent: (e: WatchEvent) => void, _onClose: (err?: KubeError) => void) {
    this.emits.push(onEvent);
    return {
      close: () => {
        this.closed++;
      },
    };
  }
}
const tick = () => new Promise((r) => setImmediate(r));
const sandbox: KubeObject = { metadata: { name: 'sb1', namespace: 'a', uid: 'u1' }, spec: { operatingMode: 'Running' }, status: {} };
const pod = (phase: string): KubeObject => ({
  metadata: { name: 'sb1', namespace: 'a', resourceVersion: '2', ownerReferences: [{ kind: 'Sandbox', name: 'sb1', uid: 'u1', controller: true }] },
  status: { phase },
});

describe('ClusterModel pod watch', () => {
  it('watches pods per namespace only when asked, and maps a pod change to its sandbox row', async () => {
    const kinds: Scripted[] = [];
    const pods = new Map<string | undefined, Scripted>();
    const model = new ClusterModel(
      { core: 'v1beta1', extensions: 'v1beta1' },
      { all: false, namespaces: ['a', 'b'] },
      (kind) => {
        const t = new Scripted(kind === 'Sandbox' ? [sandbox] : []);
        kinds.push(t);
        return t;
      },
      silentLogger,
      0,
    );
    model.watchPods((ns) => {
      const t = new Scripted(ns === 'a' ? [pod('Pending')] : []);
      pods.set(ns, t);
      return t;
    });
    const changes: ModelChange[] = [];
    model.onDidChange((c) => changes.push(c));
    model.start();
    await tick();
    assert.deepEqual([...pods.keys()].sort(), ['a', 'b'], 'one pod watch per shown namespace');
    assert.equal(model.sandboxPod(model.get('Sandbox', 'a', 'sb1') as KubeObject)?.status?.['phase'], 'Pending');
    changes.length = 0;
    pods.get('a')?.emits[0]({ type: 'MODIFIED', object: { ...pod('Running'), metadata: { ...pod('Running').metadata, resourceVersion: '3' } } });
    assert.ok(
      changes.some((c) => c.modified?.has('Sandbox/a/sb1')),
      'the sandbox row refreshes',
    );
    assert.equal(model.sandboxPod(sandbox)?.status?.['phase'], 'Running');
    model.stop();
    assert.equal(pods.get('a')?.closed, 1, 'stopping the model (view hidden) closes the pod watch');
    model.dispose();
  });

  it('has no pod watch and no pod without watchPods', async () => {
    const model = new ClusterModel(
      { core: 'v1beta1', extensions: 'v1beta1' },
      { all: false, namespaces: ['a'] },
      () => new Scripted([sandbox]),
      silentLogger,
      0,
    );
    model.start();
    await tick();
    assert.equal(model.sandboxPod(sandbox), undefined);
    model.dispose();
  });
});
