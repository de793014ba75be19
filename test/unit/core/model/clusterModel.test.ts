// ClusterModel on scripted transports and a fake clock: one informer per kind and namespace, the
// 50 ms debounced change event, the per-namespace index and sandboxOwner.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubeError } from '../../../../src/core/k8s/errors';
import type { KindName } from '../../../../src/core/k8s/resources';
import { silentLogger } from '../../../../src/core/logging/logger';
import { ClusterModel, ModelChange, NamespaceScope } from '../../../../src/core/model/clusterModel';
import type { KubeObject } from '../../../../src/core/model/objects';
import { nameHash } from '../../../../src/core/model/pool';
import { LABEL_WARM_POOL } from '../../../../src/core/model/sandbox';
import { FakeClock, ScriptedTransport, tick } from '../../support/watchFakes';

let rv = 100;
const obj = (name: string, namespace: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  metadata: { name, namespace, resourceVersion: String(rv++), ...extra },
});

function setup(scope: NamespaceScope = { all: false, namespaces: ['a', 'b'] }, api = { core: 'v1beta1', extensions: 'v1beta1' } as const) {
  const clock = new FakeClock();
  const transports = new Map<string, ScriptedTransport>();
  const model = new ClusterModel(
    api,
    scope,
    (kind, ns) => {
      const t = new ScriptedTransport();
      transports.set(`${kind}@${ns ?? '*'}`, t);
      return t;
    },
    silentLogger,
    50,
    clock,
  );
  const changes: ModelChange[] = [];
  model.onDidChange((c) => changes.push(c));
  const transport = (kind: KindName, ns = '*'): ScriptedTransport => {
    const t = transports.get(`${kind}@${ns}`);
    assert.ok(t, `a transport for ${kind}@${ns}`);
    return t;
  };
  /** Answers every open list (empty unless given items) and lets the informers start their watches. */
  const sync = async (items: Partial<Record<string, KubeObject[]>> = {}) => {
    for (const [id, t] of transports) for (const l of t.lists.splice(0)) l.resolve({ items: items[id] ?? [], resourceVersion: String(rv++) });
    await tick();
  };
  return { clock, model, changes, transport, transports, sync };
}

describe('ClusterModel', () => {
  it('starts one informer per served kind and namespace, and stop() closes their watches', async () => {
    const { model, transports, sync } = setup({ all: false, namespaces: ['a', 'b'] }, { core: 'v1beta1', extensions: undefined } as never);
    model.start();
    // Without the extensions group only Sandbox is served.
    assert.deepEqual([...transports.keys()].sort(), ['Sandbox@a', 'Sandbox@b']);
    await sync();
    const watches = [...transports.values()].flatMap((t) => t.watches);
    assert.equal(watches.length, 2);
    assert.equal(model.status('Sandbox', 'a').state, 'synced');
    model.stop();
    assert.ok(
      watches.every((w) => w.closed),
      'every watch closed',
    );
    assert.equal(model.isRunning, false);
    assert.equal(model.status('Sandbox', 'a').state, 'stopped');
  });

  it('merges the changes of one 50 ms window into one event, then opens a new window', async () => {
    const { clock, model, changes, transport, sync } = setup();
    model.start();
    await sync();
    clock.advance(50);
    changes.length = 0; // the synced statuses
    transport('Sandbox', 'a').watches[0].emit({ type: 'ADDED', object: obj('s1', 'a') });
    clock.advance(20);
    transport('SandboxClaim', 'b').watches[0].emit({ type: 'ADDED', object: obj('c1', 'b') });
    clock.advance(29);
    assert.equal(changes.length, 0, 'nothing before the window closes');
    clock.advance(1);
    assert.equal(changes.length, 1, 'one event for both');
    assert.deepEqual([...(changes[0].namespaces ?? [])].sort(), ['a', 'b']);
    assert.deepEqual([...(changes[0].kinds ?? [])].sort(), ['Sandbox', 'SandboxClaim']);
    assert.deepEqual([...(changes[0].membership ?? [])].sort(), ['Sandbox/a', 'SandboxClaim/b']);
    transport('Sandbox', 'a').watches[0].emit({ type: 'MODIFIED', object: obj('s1', 'a') });
    clock.advance(50);
    assert.equal(changes.length, 2);
    assert.deepEqual([...(changes[1].modified ?? [])], ['Sandbox/a/s1'], 'an update in place names the object');
    assert.deepEqual([...(changes[1].membership ?? [])], [], 'and changes no membership');
  });

  it('a listener that throws does not stop the others', async () => {
    const { clock, model, transport, sync } = setup();
    const seen: ModelChange[] = [];
    model.onDidChange(() => {
      throw new Error('boom');
    });
    model.onDidChange((c) => seen.push(c));
    model.start();
    await sync();
    transport('Sandbox', 'a').watches[0].emit({ type: 'ADDED', object: obj('s1', 'a') });
    clock.advance(50);
    assert.ok(seen.length >= 1);
  });

  it('a watch error reaches listeners as a change to that kind in that namespace', async () => {
    const { clock, model, changes, transport } = setup();
    model.start();
    transport('SandboxWarmPool', 'b').lists[0].reject(new KubeError('forbidden', 403, 'Forbidden'));
    await tick();
    clock.advance(50);
    assert.equal(model.status('SandboxWarmPool', 'b').state, 'error');
    assert.ok(changes.some((c) => c.membership?.has('SandboxWarmPool/b') && c.namespaces?.has('b')));
  });

  it('keeps a sorted list per kind and namespace, in step with adds, updates and deletes', async () => {
    const { model, transport, sync } = setup();
    model.start();
    await sync({ 'Sandbox@a': [obj('zeta', 'a'), obj('alpha', 'a')], 'Sandbox@b': [obj('beta', 'b')] });
    assert.deepEqual(
      model.list('Sandbox', 'a').map((o) => o.metadata.name),
      ['alpha', 'zeta'],
    );
    assert.deepEqual(
      model.list('Sandbox', 'b').map((o) => o.metadata.name),
      ['beta'],
    );
    assert.deepEqual(model.list('SandboxClaim', 'a'), []);
    const w = transport('Sandbox', 'a').watches[0];
    w.emit({ type: 'ADDED', object: obj('mid', 'a') });
    assert.deepEqual(
      model.list('Sandbox', 'a').map((o) => o.metadata.name),
      ['alpha', 'mid', 'zeta'],
    );
    const updated = { ...obj('mid', 'a'), spec: { replicas: 3 } };
    w.emit({ type: 'MODIFIED', object: updated });
    // The model stores a slimmed copy (model/slim.ts): the same object in the list and the store, at the new version.
    assert.equal(model.list('Sandbox', 'a')[1], model.get('Sandbox', 'a', 'mid'), 'the cached list holds the stored object');
    assert.deepEqual(model.get('Sandbox', 'a', 'mid'), updated);
    w.emit({ type: 'DELETED', object: obj('alpha', 'a') });
    assert.deepEqual(
      model.list('Sandbox', 'a').map((o) => o.metadata.name),
      ['mid', 'zeta'],
    );
    assert.equal(model.get('Sandbox', 'a', 'alpha'), undefined);
    assert.deepEqual(
      model
        .all('Sandbox')
        .map((o) => o.metadata.name)
        .sort(),
      ['beta', 'mid', 'zeta'],
    );
  });

  it('with all namespaces, shows the namespaces that hold objects', async () => {
    const { model, transport, sync } = setup({ all: true });
    model.start();
    await sync({ 'Sandbox@*': [obj('s1', 'x'), obj('s2', 'w')], 'SandboxClaim@*': [obj('c1', 'y')] });
    assert.deepEqual(model.namespaces(), ['w', 'x', 'y']);
    assert.deepEqual(
      model.list('Sandbox', 'x').map((o) => o.metadata.name),
      ['s1'],
    );
    transport('Sandbox').watches[0].emit({ type: 'DELETED', object: obj('s1', 'x') });
    assert.deepEqual(model.namespaces(), ['w', 'y'], 'an emptied namespace goes away');
    assert.equal(model.get('Sandbox', 'w', 's2')?.metadata.name, 's2', 'get finds objects through the cluster-wide informer');
  });

  it('with chosen namespaces, shows exactly those, sorted, even when empty', () => {
    const { model } = setup({ all: false, namespaces: ['zz', 'aa'] });
    assert.deepEqual(model.namespaces(), ['aa', 'zz']);
  });

  it('sandboxOwner: the controlling claim, the controlling pool, the pool its label names, or none', async () => {
    const { model, sync } = setup({ all: false, namespaces: ['a'] });
    model.start();
    const pool = obj('warm', 'a');
    await sync({ 'SandboxWarmPool@a': [pool] });
    const byClaim = obj('s1', 'a', { ownerReferences: [{ kind: 'SandboxClaim', name: 'my-claim', uid: 'u', controller: true }] });
    const byPool = obj('s2', 'a', { ownerReferences: [{ kind: 'SandboxWarmPool', name: 'warm', uid: 'u', controller: true }] });
    const byLabel = obj('s3', 'a', { labels: { [LABEL_WARM_POOL]: nameHash('warm') } });
    const unknownPool = obj('s4', 'a', { labels: { [LABEL_WARM_POOL]: nameHash('gone') } });
    const notController = obj('s5', 'a', { ownerReferences: [{ kind: 'SandboxClaim', name: 'x', uid: 'u', controller: false }] });
    assert.deepEqual(model.sandboxOwner(byClaim), { kind: 'claim', name: 'my-claim' });
    assert.deepEqual(model.sandboxOwner(byPool), { kind: 'pool', name: 'warm' });
    assert.deepEqual(model.sandboxOwner(byLabel), { kind: 'pool', name: 'warm' });
    assert.equal(model.sandboxOwner(unknownPool), undefined);
    assert.equal(model.sandboxOwner(notController), undefined);
    assert.equal(model.sandboxOwner(obj('s6', 'a')), undefined);
  });

  it('claimSandbox, sandboxClaim and poolMembers follow the index', async () => {
    const { model, sync } = setup({ all: false, namespaces: ['a'] });
    model.start();
    const claim = { ...obj('c1', 'a'), status: { sandbox: { name: 's1' } } };
    const sandbox = obj('s1', 'a', { ownerReferences: [{ kind: 'SandboxClaim', name: 'c1', uid: 'u', controller: true }] });
    const member = obj('m1', 'a', { labels: { [LABEL_WARM_POOL]: nameHash('warm') } });
    const pool = obj('warm', 'a');
    await sync({ 'SandboxClaim@a': [claim], 'Sandbox@a': [sandbox, member], 'SandboxWarmPool@a': [pool] });
    assert.equal(model.claimSandbox(claim)?.metadata.name, 's1');
    assert.equal(model.sandboxClaim(sandbox)?.metadata.name, 'c1');
    assert.deepEqual(
      model.poolMembers(pool).map((o) => o.metadata.name),
      ['m1'],
    );
  });

  it('dispose stops the watches and drops a pending change', async () => {
    const { clock, model, changes, transport, transports, sync } = setup();
    model.start();
    await sync();
    clock.advance(50);
    const before = changes.length;
    transport('Sandbox', 'a').watches[0].emit({ type: 'ADDED', object: obj('s1', 'a') });
    model.dispose();
    clock.advance(50);
    assert.equal(changes.length, before, 'no event after dispose');
    assert.ok([...transports.values()].every((t) => t.watches.every((w) => w.closed)));
  });
});
