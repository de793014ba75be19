import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay } from '../../../../src/core/k8s/clock';
import { KubeError } from '../../../../src/core/k8s/errors';
import { Informer, InformerChange, InformerStatus } from '../../../../src/core/k8s/informer';
import type { KubeObject } from '../../../../src/core/model/objects';
import { FakeClock, ScriptedTransport, tick } from '../../support/watchFakes';

const obj = (name: string, rv: string): KubeObject => ({ metadata: { name, namespace: 'ns', resourceVersion: rv } });

function setup() {
  const clock = new FakeClock();
  const transport = new ScriptedTransport();
  const changes: InformerChange[] = [];
  const statuses: InformerStatus[] = [];
  const informer = new Informer(
    transport,
    (c) => changes.push(c),
    (s) => statuses.push(s),
    { clock, random: () => 0.5, minBackoffMs: 1000, maxBackoffMs: 30_000, slowRetryMs: 60_000 },
  );
  return { clock, transport, changes, statuses, informer };
}

describe('Informer state machine', () => {
  it('lists, then watches from the list resourceVersion and applies events', async () => {
    const { transport, changes, informer, statuses } = setup();
    informer.start();
    transport.lists[0].resolve({ items: [obj('a', '1'), obj('b', '2')], resourceVersion: '10' });
    await tick();
    assert.equal(statuses.at(-1)?.state, 'synced');
    assert.equal(transport.watches[0].rv, '10');
    assert.deepEqual([...informer.store.keys()].sort(), ['ns/a', 'ns/b']);
    transport.watches[0].emit({ type: 'MODIFIED', object: obj('a', '11') });
    transport.watches[0].emit({ type: 'DELETED', object: obj('b', '12') });
    transport.watches[0].emit({ type: 'ADDED', object: obj('c', '13') });
    assert.deepEqual([...informer.store.keys()].sort(), ['ns/a', 'ns/c']);
    assert.equal(informer.store.get('ns/a')?.metadata.resourceVersion, '11');
    assert.equal(changes.length, 4);
  });

  it('startFrom: no list, the given objects stored and reported, a watch from their version; a 410 there re-lists', async () => {
    const { transport, changes, informer, statuses } = setup();
    informer.startFrom([obj('a', '7')], '7');
    assert.equal(transport.lists.length, 0, 'no list');
    assert.equal(statuses.at(-1)?.state, 'synced');
    assert.deepEqual(
      changes[0]?.upserted.map((o) => o.metadata.name),
      ['a'],
    );
    assert.equal(transport.watches[0].rv, '7');
    transport.watches[0].emit({ type: 'MODIFIED', object: obj('a', '8') });
    assert.equal(informer.store.get('ns/a')?.metadata.resourceVersion, '8');
    transport.watches[0].emit({ type: 'ERROR', object: { metadata: { name: '' }, code: 410, reason: 'Expired', message: 'too old resource version' } });
    transport.watches[0].close();
    assert.equal(transport.lists.length, 1, 'a 410 re-lists as after a list');
  });

  it('startFrom: a listener that stops the informer on the given objects opens no watch', () => {
    const transport = new ScriptedTransport();
    const informer: Informer = new Informer(
      transport,
      () => informer.stop(),
      () => undefined,
    );
    informer.startFrom([obj('a', '7')], '7');
    assert.equal(transport.watches.length, 0);
    assert.equal(informer.currentStatus.state, 'stopped');
  });

  it('re-watches from the last seen version after a clean end, including bookmarks', async () => {
    const { transport, informer, clock } = setup();
    informer.start();
    transport.lists[0].resolve({ items: [], resourceVersion: '5' });
    await tick();
    transport.watches[0].emit({ type: 'BOOKMARK', object: obj('', '42') });
    clock.advance(60_000);
    transport.watches[0].close();
    assert.equal(transport.watches.length, 2);
    assert.equal(transport.watches[1].rv, '42');
    assert.equal(transport.lists.length, 1, 'no re-list on a clean end');
  });

  it('re-lists on a 410 ERROR event and reports only real differences', async () => {
    const { transport, informer, changes } = setup();
    informer.start();
    transport.lists[0].resolve({ items: [obj('a', '1'), obj('b', '2')], resourceVersion: '10' });
    await tick();
    transport.watches[0].emit({ type: 'ERROR', object: { metadata: { name: '' }, code: 410, reason: 'Expired', message: 'too old resource version' } });
    transport.watches[0].close();
    assert.equal(transport.lists.length, 2);
    const before = changes.length;
    transport.lists[1].resolve({ items: [obj('a', '1'), obj('c', '30')], resourceVersion: '31' });
    await tick();
    const last = changes.slice(before);
    assert.equal(last.length, 1);
    assert.deepEqual(
      last[0].upserted.map((o) => o.metadata.name),
      ['c'],
      'unchanged a is not reported',
    );
    assert.deepEqual(
      last[0].deleted.map((o) => o.metadata.name),
      ['b'],
      'vanished b is deleted',
    );
    assert.equal(transport.watches[1].rv, '31');
  });

  it('re-lists on an HTTP 410 when opening the watch', async () => {
    const { transport, informer } = setup();
    informer.start();
    transport.lists[0].resolve({ items: [], resourceVersion: '10' });
    await tick();
    transport.watches[0].close(new KubeError('gone', 410, 'Expired'));
    assert.equal(transport.lists.length, 2);
  });

  it('backs off with growing delays after list failures, then recovers', async () => {
    const { transport, informer, clock, statuses } = setup();
    informer.start();
    transport.lists[0].reject(new KubeError('refused', undefined, 'ECONNREFUSED', 'network'));
    await tick();
    const err = statuses.at(-1);
    assert.equal(err?.state, 'error');
    const first = (err as { retryInMs: number }).retryInMs;
    clock.advance(first - 1);
    assert.equal(transport.lists.length, 1, 'no retry before the backoff elapses');
    clock.advance(1);
    assert.equal(transport.lists.length, 2);
    transport.lists[1].reject(new KubeError('refused', undefined, 'ECONNREFUSED', 'network'));
    await tick();
    const second = (statuses.at(-1) as { retryInMs: number }).retryInMs;
    assert.ok(second > first, `second delay ${second} > first ${first}`);
    clock.advance(second);
    transport.lists[2].resolve({ items: [obj('a', '1')], resourceVersion: '20' });
    await tick();
    assert.equal(statuses.at(-1)?.state, 'synced');
    assert.equal(transport.watches.at(-1)?.rv, '20');
  });

  it('a watch lost to a network error reconnects from the last resourceVersion with backoff, marked stale, without a re-list', async () => {
    const { transport, informer, clock, statuses } = setup();
    informer.start();
    transport.lists[0].resolve({ items: [obj('a', '1')], resourceVersion: '10' });
    await tick();
    clock.advance(60_000);
    transport.watches[0].emit({ type: 'BOOKMARK', object: obj('', '15') });
    transport.watches[0].close(new KubeError('connection lost', undefined, undefined, 'network'));
    const st = statuses.at(-1) as Extract<InformerStatus, { state: 'reconnecting' }>;
    assert.equal(st.state, 'reconnecting');
    assert.equal(informer.store.size, 1, 'the data stays, marked stale');
    clock.advance(st.retryInMs);
    assert.equal(transport.lists.length, 1, 'no re-list');
    assert.equal(transport.watches[1].rv, '15');
    transport.watches[1].close(new KubeError('refused', undefined, 'ECONNREFUSED', 'network'));
    const again = statuses.at(-1) as Extract<InformerStatus, { state: 'reconnecting' }>;
    assert.ok(again.retryInMs > st.retryInMs, `growing backoff ${again.retryInMs} > ${st.retryInMs}`);
    clock.advance(again.retryInMs);
    transport.watches[2].open();
    assert.equal(statuses.at(-1)?.state, 'synced', 'fresh again once the new watch is open');
  });

  it('a watch ended by the inactivity watchdog re-watches at once from the last resourceVersion (no re-list, no error)', async () => {
    const { transport, informer, clock, statuses } = setup();
    informer.start();
    transport.lists[0].resolve({ items: [], resourceVersion: '10' });
    await tick();
    transport.watches[0].emit({ type: 'ADDED', object: obj('a', '12') });
    clock.advance(25_000);
    transport.watches[0].close(new KubeError('no data for 25 s', undefined, 'Watchdog', 'timeout'));
    assert.equal(transport.lists.length, 1);
    assert.equal(transport.watches.length, 2);
    assert.equal(transport.watches[1].rv, '12');
    assert.ok(!statuses.some((s) => s.state === 'error'), 'no error shown');
    assert.equal(statuses.at(-1)?.state, 'reconnecting');
    transport.watches[1].open();
    assert.equal(statuses.at(-1)?.state, 'synced');
  });

  it('repeated 410s right after each re-list back off instead of re-listing in a hot loop', async () => {
    const { transport, informer, clock } = setup();
    informer.start();
    const gone = { type: 'ERROR' as const, object: { metadata: { name: '' }, code: 410, reason: 'Expired', message: 'too old' } };
    for (let i = 0; i < 2; i++) {
      transport.lists[i].resolve({ items: [], resourceVersion: '10' });
      await tick();
      transport.watches[i].emit(gone);
      transport.watches[i].close();
      await tick();
    }
    assert.equal(transport.lists.length, 2, 'the second fast 410 waits before re-listing');
    clock.advance(30_000);
    assert.equal(transport.lists.length, 3);
  });

  it('a non-410 ERROR event re-lists only after a backoff', async () => {
    const { transport, informer, clock, statuses } = setup();
    informer.start();
    transport.lists[0].resolve({ items: [], resourceVersion: '10' });
    await tick();
    transport.watches[0].emit({ type: 'ERROR', object: { metadata: { name: '' }, code: 500, reason: 'InternalError', message: 'etcd hiccup' } });
    transport.watches[0].close();
    await tick();
    assert.equal(transport.lists.length, 1);
    assert.equal(statuses.at(-1)?.state, 'error');
    clock.advance(30_000);
    assert.equal(transport.lists.length, 2);
  });

  it('retries permission errors slowly and keeps one restart in flight', async () => {
    const { transport, informer, clock, statuses } = setup();
    informer.start();
    transport.lists[0].reject(new KubeError('forbidden', 403, 'Forbidden'));
    await tick();
    const st = statuses.at(-1) as Extract<InformerStatus, { state: 'error' }>;
    assert.equal(st.state, 'error');
    assert.equal(st.error.isForbidden, true);
    assert.equal(st.retryInMs, 60_000);
    clock.advance(59_999);
    assert.equal(transport.lists.length, 1);
    clock.advance(1);
    assert.equal(transport.lists.length, 2);
  });

  it('a watch that ends at once repeatedly is throttled, not a hot loop', async () => {
    const { transport, informer, clock } = setup();
    informer.start();
    transport.lists[0].resolve({ items: [], resourceVersion: '1' });
    await tick();
    transport.watches[0].close();
    assert.equal(transport.watches.length, 1, 'no immediate reconnect after an instant close');
    clock.advance(30_000);
    assert.equal(transport.watches.length, 2);
  });

  it('stop() ends everything and ignores late answers', async () => {
    const { transport, informer, changes } = setup();
    informer.start();
    informer.stop();
    transport.lists[0].resolve({ items: [obj('a', '1')], resourceVersion: '1' });
    await tick();
    assert.equal(transport.watches.length, 0);
    assert.equal(changes.length, 0);
  });

  it('ingests every listed and watched object once: not a list the transport already ingested', async () => {
    const transport = new ScriptedTransport();
    const seen: string[] = [];
    const ingest = (o: KubeObject): KubeObject => (seen.push(o.metadata.name), { ...o, metadata: { ...o.metadata, labels: { slim: 'yes' } } });
    const informer = new Informer(
      transport,
      () => undefined,
      () => undefined,
      { clock: new FakeClock(), ingest },
    );
    informer.start();
    transport.lists[0].resolve({ items: [obj('a', '1')], resourceVersion: '1' });
    await tick();
    transport.watches[0].emit({ type: 'ADDED', object: obj('b', '2') });
    transport.watches[0].emit({ type: 'BOOKMARK', object: obj('', '3') });
    assert.deepEqual(seen, ['a', 'b'], 'list items and ADDED, not the bookmark');
    assert.deepEqual(
      [...informer.store.values()].map((o) => o.metadata.labels?.['slim']),
      ['yes', 'yes'],
      'the store holds what ingest returned',
    );
    informer.relist();
    transport.lists[1].resolve({
      items: [{ ...obj('a', '4'), metadata: { ...obj('a', '4').metadata, labels: { slim: 'by the transport' } } }],
      resourceVersion: '4',
      ingested: true,
    });
    await tick();
    assert.deepEqual(seen, ['a', 'b'], 'an ingested list is not ingested again');
    assert.equal(informer.store.get('ns/a')?.metadata.labels?.['slim'], 'by the transport');
    informer.stop();
  });

  it('backoff delays stay within [min, max]', () => {
    for (let i = 0; i < 20; i++) {
      const d = backoffDelay(i, 1000, 30_000, Math.random);
      assert.ok(d >= 1000 && d <= 30_000, String(d));
    }
    assert.equal(
      backoffDelay(10, 1000, 30_000, () => 1),
      30_000,
    );
  });
});
