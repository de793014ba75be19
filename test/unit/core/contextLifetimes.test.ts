// Context-scoped lifetimes: what features open for a ready session (model listeners, watches, a
// per-session service) is closed on Retry, on a context or namespace switch and on shutdown, so
// switching and retrying many times leaves exactly as many watches and listeners as one session.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DisposableStore, Emitter } from '../../../src/core/lifecycle';
import type { ClusterModel } from '../../../src/core/model/clusterModel';
import type { KubeObject } from '../../../src/core/model/objects';
import type { ContextSession } from '../../../src/core/session';
import { watchSandbox } from '../../../src/core/terminal/sandboxWatch';
import { openWatches as open, readyModel, scriptedCluster, until } from '../support/scriptedCluster';

const sandbox: KubeObject = { metadata: { name: 'sb1', namespace: 'ns', resourceVersion: '1' }, spec: { operatingMode: 'Running' }, status: {} };

describe('context-scoped lifetimes', () => {
  it('20 context switches and Retries leave as many watches and listeners as one session', async () => {
    const { manager, transports } = scriptedCluster({ Sandbox: [sandbox] });
    const baseWatches = open.count;
    let perSessionServices = 0;
    let renders = 0;
    // The features' pattern: the tree (follows the model, watches while visible), the cost bar
    // (follows the model), auto-hibernate (a service per ready session) and the status bar.
    const features = [
      manager.onDidOpenReady(({ model }, scope) => {
        scope.add(model.onDidChange(() => undefined));
        model.start();
      }),
      manager.onDidOpenReady(({ model }, scope) => void scope.add(model.onDidChange(() => undefined))),
      manager.onDidOpenReady((_ready, scope) => {
        perSessionServices++;
        scope.add({ dispose: () => void perSessionServices-- });
      }),
      manager.onDidChangeSessionState(() => void renders++),
    ];
    /** Runs a switch or Retry and waits until the watches of the model it built are open. */
    const settle = async (action: () => void) => {
      const before = new Map([...transports].map(([s, made]) => [s, made.length]));
      action();
      await manager.session?.connect();
      const made = transports.get(manager.session as ContextSession) ?? [];
      const fresh = () => made.slice(before.get(manager.session as ContextSession) ?? 0);
      await until(() => fresh().length > 0 && fresh().every((t) => t.watching === 1), 'every watch of the new model is open');
    };
    await settle(() => manager.reload());
    const watches = open.count - baseWatches;
    const listeners = manager.listenerCount;
    const modelListeners = readyModel(manager).listenerCount;
    assert.equal(watches, 5, 'four kinds and the pods, all namespaces');
    assert.equal(modelListeners, 2);
    assert.equal(perSessionServices, 1);

    const seen: { session: ContextSession; model: ClusterModel }[] = [];
    for (let i = 0; i < 20; i++) {
      seen.push({ session: manager.session as ContextSession, model: readyModel(manager) });
      // A namespace choice reopens the session like a context switch (one namespace: four kinds and its pods, five watches too).
      await settle(() => (i === 7 ? manager.setScope({ all: false, namespaces: ['ns'] }) : manager.switchContext(i % 2 ? 'a' : 'b')));
      seen.push({ session: manager.session as ContextSession, model: readyModel(manager) });
      await settle(() => void manager.session?.connect()); // Retry
      assert.equal(open.count - baseWatches, watches, `open watches after round ${i + 1}`);
      assert.equal(manager.listenerCount, listeners, `listeners after round ${i + 1}`);
      assert.equal(readyModel(manager).listenerCount, modelListeners, `model listeners after round ${i + 1}`);
      assert.equal(perSessionServices, 1, `per-session services after round ${i + 1}`);
    }
    assert.equal(new Set(seen.map((s) => s.model)).size, 40, 'every switch and every Retry built a new model');
    for (const { session, model } of seen) {
      assert.equal(model.listenerCount, 0, 'an old model keeps no listener');
      assert.equal(model.isRunning, false, 'an old model watches nothing');
      if (session !== manager.session) assert.equal(session.listenerCount, 0, 'an old session keeps no listener');
    }
    assert.ok(renders >= 60, 'the status follows every state of every session');

    manager.dispose();
    assert.equal(open.count, baseWatches, 'shutdown closes every watch');
    assert.equal(perSessionServices, 0, 'shutdown closes the per-session services');
    for (const f of features) f.dispose();
    assert.equal(manager.listenerCount, 0);
  });

  it('a subscriber added while the session is ready runs at once; disposing it closes its scope', async () => {
    const { manager } = scriptedCluster();
    manager.reload();
    await manager.session?.connect();
    let open = 0;
    const sub = manager.onDidOpenReady((_r, scope) => {
      open++;
      scope.add({ dispose: () => void open-- });
    });
    assert.equal(open, 1, 'called for the session that is ready already');
    sub.dispose();
    assert.equal(open, 0, 'its scope is closed with the subscription');
    await manager.session?.connect();
    assert.equal(open, 0, 'and it is not called again');
    manager.dispose();
  });

  it("a terminal's sandbox watch follows its session through Retry and goes quiet after a switch", async () => {
    const { manager, transports } = scriptedCluster({ Sandbox: [sandbox] });
    manager.reload();
    await manager.session?.connect();
    const session = manager.session as ContextSession;
    const seen: (KubeObject | undefined)[] = [];
    const watch = watchSandbox(session, 'ns', 'sb1', (sb) => seen.push(sb));
    const startModel = async () => {
      const made = transports.get(session) ?? [];
      const before = made.length;
      const model = readyModel(manager);
      model.start();
      await until(() => made.length > before && made.slice(before).every((t) => t.watching === 1), 'the model watches');
      return model;
    };
    await startModel();
    await until(() => seen.length > 0, 'the watch reports the sandbox');
    await session.connect(); // Retry: a new model
    const model = await startModel();
    assert.equal(model.listenerCount, 1, 'the watch re-attached to the new model');
    const reported = seen.length;
    await until(() => seen.length > reported, 'the new model reports the sandbox too');
    manager.switchContext('b');
    assert.equal(session.listenerCount, 0, 'the old session dropped the watch');
    assert.equal(model.listenerCount, 0);
    watch.dispose(); // harmless after its session ended
    manager.dispose();
  });
});

describe('DisposableStore and Emitter', () => {
  it('disposes newest first, once; adding after dispose disposes at once; a failing item does not stop the rest', () => {
    const order: string[] = [];
    const errors: unknown[] = [];
    const store = new DisposableStore((e) => errors.push(e));
    store.add({ dispose: () => void order.push('first') });
    store.add({
      dispose: () => {
        throw new Error('boom');
      },
    });
    store.add({ dispose: () => void order.push('last') });
    store.dispose();
    store.dispose();
    assert.deepEqual(order, ['last', 'first']);
    assert.equal(errors.length, 1);
    store.add({ dispose: () => void order.push('late') });
    assert.deepEqual(order, ['last', 'first', 'late']);
  });

  it('an emitter counts its subscriptions and skips one unsubscribed during the same fire', () => {
    const e = new Emitter<number>();
    const got: string[] = [];
    let second: { dispose(): void } | undefined;
    const first = e.event(() => {
      got.push('first');
      second?.dispose();
    });
    second = e.event(() => void got.push('second'));
    assert.equal(e.listenerCount, 2);
    e.fire(1);
    assert.deepEqual(got, ['first']);
    first.dispose();
    assert.equal(e.listenerCount, 0);
  });
});
