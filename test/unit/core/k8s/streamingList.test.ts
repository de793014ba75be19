// Streamed lists (sendInitialEvents) through the real HttpWatchTransport, against a loopback API
// server that streams, refuses (422, as Kubernetes with WatchList off), ignores the parameters or
// reports an ERROR: each ends synced, from the stream or from paged lists, and a lasting refusal is
// remembered for the session so re-lists do not ask again.
import assert from 'node:assert/strict';
import { KubeConfig } from '@kubernetes/client-node';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { KubeClient } from '../../../../src/core/k8s/client';
import { Informer, InformerStatus } from '../../../../src/core/k8s/informer';
import { INITIAL_EVENTS_END, StreamingListChoice } from '../../../../src/core/k8s/streamingList';
import { HttpWatchTransport } from '../../../../src/core/k8s/watchTransport';
import { silentLogger } from '../../../../src/core/logging/logger';
import type { KubeObject } from '../../../../src/core/model/objects';
import { slimmer } from '../../../../src/core/model/slim';
import { fleetSandbox } from '../../../support/fleetObjects';
import { waitFor, within } from '../../../support/wait';

const PATH = '/apis/agents.x-k8s.io/v1beta1/namespaces/team-1/sandboxes';
type Mode = 'streams' | 'forbidden' | 'ignores' | 'silent-after-events' | 'error-event';

/** A fake kube-apiserver for one collection: paged lists (2 a page), watches, and streamed lists as `mode` says. */
class FakeApi {
  mode: Mode = 'streams';
  objects: KubeObject[] = [];
  requests: URL[] = [];
  readonly server = http.createServer((req, res) => this.handle(req, res));
  port = 0;

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push(url);
    const q = url.searchParams;
    const line = (o: unknown) => res.write(`${JSON.stringify(o)}\n`);
    if (q.get('watch') !== '1') {
      const start = Number(q.get('continue') ?? 0);
      const items = this.objects.slice(start, start + 2);
      const more = start + 2 < this.objects.length;
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ kind: 'SandboxList', metadata: { resourceVersion: '500', ...(more ? { continue: String(start + 2) } : {}) }, items }));
      return;
    }
    if (q.get('sendInitialEvents') !== 'true') return void res.writeHead(200, { 'Content-Type': 'application/json' }).flushHeaders(); // a plain watch: held open
    if (this.mode === 'forbidden') {
      const message =
        'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled';
      res
        .writeHead(422, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason: 'Invalid', code: 422 }));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    if (this.mode === 'error-event')
      return void res.end(
        `${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', status: 'Failure', message: 'Too large resource version', reason: 'Timeout', code: 504 } })}\n`,
      );
    for (const o of this.objects) line({ type: 'ADDED', object: o });
    if (this.mode === 'streams') {
      // A change made while the state was being sent, then the end bookmark at the state's version.
      line({ type: 'DELETED', object: this.objects[0] });
      line({
        type: 'BOOKMARK',
        object: { kind: 'Sandbox', apiVersion: 'agents.x-k8s.io/v1beta1', metadata: { resourceVersion: '777', annotations: { [INITIAL_EVENTS_END]: 'true' } } },
      });
    } else if (this.mode === 'ignores') {
      line({ type: 'BOOKMARK', object: { kind: 'Sandbox', metadata: { resourceVersion: '778' } } });
    }
    // 'silent-after-events': nothing more, as a server that watches "from now" on a quiet collection.
  }

  lists = () => this.requests.filter((u) => u.searchParams.get('watch') !== '1').length;
  streams = () => this.requests.filter((u) => u.searchParams.get('sendInitialEvents') === 'true').length;
  watchesFrom = () =>
    this.requests
      .filter((u) => u.searchParams.get('watch') === '1' && !u.searchParams.has('sendInitialEvents'))
      .map((u) => u.searchParams.get('resourceVersion'));
}

function clientFor(port: number): KubeClient {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${port}` }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return new KubeClient(kc, 'x', silentLogger, {});
}

/** An informer over the HTTP transport; `synced()` resolves at its next synced (or error) status after starting. */
function informerOn(client: KubeClient, choice: StreamingListChoice | undefined, inactivityMs?: number) {
  let wake: ((s: InformerStatus) => void) | undefined;
  const informer = new Informer(
    new HttpWatchTransport(client, PATH, {}, { ...(choice ? { streamingList: choice } : {}), ...(inactivityMs === undefined ? {} : { inactivityMs }) }),
    () => undefined,
    (s) => {
      if (s.state === 'synced' || s.state === 'error') wake?.(s);
    },
    { ingest: slimmer('Sandbox'), log: silentLogger, minBackoffMs: 60_000 },
  );
  const synced = (what: string) => within(new Promise<InformerStatus>((r) => (wake = r)), 10_000, what);
  return { informer, synced };
}

describe('streamed lists (sendInitialEvents) over HTTP', () => {
  const api = new FakeApi();
  let client: KubeClient;
  const started: Informer[] = [];
  before(async () => {
    await new Promise<void>((r) => api.server.listen(0, '127.0.0.1', () => r()));
    api.port = (api.server.address() as AddressInfo).port;
    client = clientFor(api.port);
  });
  beforeEach(() => {
    for (const i of started.splice(0)) i.stop();
    api.requests = [];
    api.objects = [fleetSandbox(1, 'team-1'), fleetSandbox(21, 'team-1'), fleetSandbox(41, 'team-1')];
  });
  after(() => {
    for (const i of started.splice(0)) i.stop();
    api.server.closeAllConnections();
    api.server.close();
  });

  const start = (choice: StreamingListChoice | undefined, inactivityMs?: number) => {
    const r = informerOn(client, choice, inactivityMs);
    started.push(r.informer);
    const synced = r.synced('the first sync');
    r.informer.start();
    return { ...r, first: synced };
  };

  it('syncs from the initial events, watches on from the end bookmark, and never pages', async () => {
    api.mode = 'streams';
    const choice = new StreamingListChoice();
    const { informer, first } = start(choice);
    assert.equal((await first).state, 'synced');
    assert.deepEqual([...informer.store.keys()].sort(), ['team-1/agent-00000l', 'team-1/agent-000015'], 'the object deleted during the stream is gone');
    assert.equal(informer.resourceVersion, '777', "the state is at the bookmark's version");
    assert.equal(api.lists(), 0, 'no paged list');
    const q = api.requests[0].searchParams;
    assert.deepEqual(
      [q.get('sendInitialEvents'), q.get('resourceVersionMatch'), q.get('allowWatchBookmarks'), q.get('resourceVersion')],
      ['true', 'NotOlderThan', 'true', null],
    );
    assert.equal(choice.current, 'streams');
    assert.equal('managedFields' in [...informer.store.values()][0].metadata, false, 'each streamed object was slimmed');
    await waitFor(() => api.watchesFrom().length, { interval: 10, message: "the informer's own watch" });
    assert.deepEqual(api.watchesFrom(), ['777']);
  });

  it('falls back to paged lists when the server refuses (422, WatchList off) and does not ask again', async () => {
    api.mode = 'forbidden';
    const choice = new StreamingListChoice();
    const { informer, first } = start(choice);
    assert.equal((await first).state, 'synced');
    assert.equal(informer.store.size, 3, 'all objects, from two pages');
    assert.equal(api.lists(), 2, 'the list was paged (2 a page here)');
    assert.equal(choice.current, 'pages');
    informer.relist();
    await waitFor(() => api.lists() === 4, { interval: 10, message: "the re-list's two pages" });
    assert.equal(api.streams(), 1, 'the re-list did not ask for a stream again');
    // Another collection of the same session shares the answer.
    const other = start(choice);
    await other.first;
    assert.equal(api.streams(), 1, 'nor did another transport sharing the choice');
  });

  it('falls back when the server ignores sendInitialEvents (a bookmark without the end annotation), and remembers', async () => {
    api.mode = 'ignores';
    const choice = new StreamingListChoice();
    const { informer, first } = start(choice);
    assert.equal((await first).state, 'synced');
    assert.equal(informer.store.size, 3);
    assert.equal(api.lists(), 2);
    assert.equal(choice.current, 'pages');
  });

  it('falls back when the initial events are followed by silence instead of the end bookmark', async () => {
    api.mode = 'silent-after-events';
    const choice = new StreamingListChoice();
    const { informer, first } = start(choice, 300);
    assert.equal((await first).state, 'synced');
    assert.equal(informer.store.size, 3);
    assert.equal(choice.current, 'pages');
  });

  it('pages once after an ERROR event in the stream, and streams again at the next list', async () => {
    api.mode = 'error-event';
    const choice = new StreamingListChoice();
    const { informer, first } = start(choice);
    assert.equal((await first).state, 'synced');
    assert.equal(informer.store.size, 3);
    assert.equal(api.lists(), 2);
    assert.equal(choice.worthTrying, true, 'a passing failure is not remembered');
    api.mode = 'streams';
    informer.relist();
    await waitFor(() => choice.current === 'streams', { interval: 10, message: 'the re-list streamed' });
    assert.equal(api.streams(), 2);
    assert.equal(informer.store.size, 2, 'the streamed state replaced the paged one');
  });

  it("without a streaming choice (panels' watches), lists are paged as before", async () => {
    const { informer, first } = start(undefined);
    await first;
    assert.equal(informer.store.size, 3);
    assert.equal(api.streams(), 0);
  });
});
