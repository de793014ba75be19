import assert from 'node:assert/strict';
import * as http from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { KubeClient } from '../../../../src/core/k8s/client';
import { silentLogger } from '../../../../src/core/logging/logger';
import { LogFollower, LogSink } from '../../../../src/core/logs/logFollower';
import type { MachineConfig } from '../../../../src/core/logs/logMachine';
import type { KubeObject } from '../../../../src/core/model/objects';
import { until, waitFor } from '../../../support/wait';
import { closeServer, listen, loopbackClient } from '../../support/loopbackApi';

/**
 * A minimal API server: list+watch of one sandbox and one pod, and pods/log streams the test
 * writes to and ends. Enough to drive the real follower through a hibernate and a resume.
 */
class FakeApi {
  rv = 1;
  sandbox: KubeObject | undefined;
  pod: KubeObject | undefined;
  private readonly watchers: { kind: 'sandboxes' | 'pods'; res: http.ServerResponse }[] = [];
  readonly logs: { url: URL; res: http.ServerResponse }[] = [];
  private logWaiters: (() => void)[] = [];
  private server = http.createServer((req, res) => this.serve(req, res));

  async start(): Promise<KubeClient> {
    return loopbackClient(`http://127.0.0.1:${await listen(this.server)}`, { context: 'f', skipTLSVerify: true });
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.endsWith('/log')) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.flushHeaders();
      this.logs.push({ url, res });
      for (const w of this.logWaiters.splice(0)) w();
      return;
    }
    const kind = url.pathname.endsWith('/sandboxes') ? 'sandboxes' : url.pathname.endsWith('/pods') ? 'pods' : undefined;
    if (!kind) return void res.writeHead(404).end('{}');
    if (url.searchParams.get('watch')) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.flushHeaders();
      this.watchers.push({ kind, res });
      return;
    }
    const obj = kind === 'sandboxes' ? this.sandbox : this.pod;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ items: obj ? [obj] : [], metadata: { resourceVersion: String(this.rv) } }));
  }

  /** Replaces (or deletes, with undefined) the sandbox or pod and tells the watchers. */
  set(kind: 'sandboxes' | 'pods', obj: KubeObject | undefined): void {
    const prev = kind === 'sandboxes' ? this.sandbox : this.pod;
    const next = obj ? { ...obj, metadata: { ...obj.metadata, resourceVersion: String(++this.rv) } } : undefined;
    if (kind === 'sandboxes') this.sandbox = next;
    else this.pod = next;
    const event = next
      ? { type: prev ? 'MODIFIED' : 'ADDED', object: next }
      : { type: 'DELETED', object: { ...prev, metadata: { ...prev?.metadata, resourceVersion: String(++this.rv) } } };
    for (const w of this.watchers) if (w.kind === kind) w.res.write(`${JSON.stringify(event)}\n`);
  }

  /** The n-th log request (0-based), once it arrives. */
  async log(n: number): Promise<{ url: URL; res: http.ServerResponse }> {
    while (this.logs.length <= n) await new Promise<void>((r) => this.logWaiters.push(r));
    return this.logs[n];
  }
}

const NS = 'demo';
const sandbox = (mode: 'Running' | 'Suspended', suspended = false): KubeObject => ({
  metadata: { name: 'sb', namespace: NS },
  spec: { operatingMode: mode },
  status: { conditions: mode === 'Running' ? [{ type: 'Ready', status: 'True' }] : [{ type: 'Suspended', status: suspended ? 'True' : 'False' }] },
});
const pod = (uid: string, running = true): KubeObject => ({
  metadata: { name: 'sb', namespace: NS, uid },
  status: {
    phase: running ? 'Running' : 'Pending',
    containerStatuses: [{ name: 'agent', restartCount: 0, state: running ? { running: {} } : { waiting: {} } }],
  },
});

/** A fake API server for the enclosing suite, and a client for it. */
function fakeApiInSuite(): { readonly api: FakeApi; readonly client: KubeClient } {
  const api = new FakeApi();
  let client: KubeClient | undefined;
  before(async () => {
    client = await api.start();
  });
  after(() => api.close());
  return {
    api,
    get client() {
      return client as KubeClient;
    },
  };
}

/** Follows sandbox sb's agent container from its last 10 lines, retrying at once (10–20 ms). */
const follow = (client: KubeClient, sink: LogSink, tuning: Pick<MachineConfig, 'minHealthyMs' | 'streamInactivityMs'>) =>
  new LogFollower(
    client,
    { core: 'v1beta1', extensions: 'v1beta1' },
    NS,
    'sb',
    { follow: true, timestamps: false, tailLines: 10, container: 'agent' },
    sink,
    silentLogger,
    undefined,
    {
      minBackoffMs: 10,
      maxBackoffMs: 20,
      random: () => 0,
      ...tuning,
    },
  );

describe('log follower against a scripted API server', { timeout: 30_000 }, () => {
  const fake = fakeApiInSuite();

  it('follows, reconnects after a drop without repeats, and bridges a hibernate and resume', async () => {
    const { api, client } = fake;
    api.sandbox = sandbox('Running');
    api.pod = pod('u1');
    let text = '';
    const markers: string[] = [];
    const statuses: string[] = [];
    let wake = () => undefined as void;
    const changed = () => wake();
    // Checked on every sink call; the message shows what arrived instead.
    const arrived = (what: string, pred: () => boolean) =>
      until(
        (w) => (wake = w),
        () => `${what}; text=${JSON.stringify(text)} markers=${JSON.stringify(markers)}`,
        pred,
        10_000,
      );
    const sink: LogSink = {
      data: (t) => ((text += t), changed()),
      marker: (t) => (markers.push(t), changed()),
      status: (s) => (statuses.push(s.state), changed()),
      clear: () => (text = ''),
    };
    const follower = follow(client, sink, { minHealthyMs: 60_000 });
    follower.start();
    try {
      const first = await api.log(0);
      assert.equal(first.url.pathname, `/api/v1/namespaces/${NS}/pods/sb/log`);
      assert.equal(first.url.searchParams.get('tailLines'), '10');
      assert.equal(first.url.searchParams.get('timestamps'), 'true');
      first.res.write('2026-08-22T10:00:00.1Z one\n2026-08-22T10:00:00.2Z tw');
      first.res.write('o\n');
      await arrived('two lines', () => text === 'one\ntwo\n');

      // The connection drops: reconnect from the last line; the repeated second is dropped.
      first.res.destroy();
      const second = await api.log(1);
      assert.equal(second.url.searchParams.get('sinceTime'), '2026-08-22T10:00:00.2Z');
      assert.equal(second.url.searchParams.get('tailLines'), null);
      second.res.write('2026-08-22T10:00:00.1Z one\n2026-08-22T10:00:00.2Z two\n2026-08-22T10:00:01Z three\n');
      await arrived('the third line', () => text.endsWith('three\n'));
      assert.equal(text, 'one\ntwo\nthree\n');
      assert.ok(
        markers.some((m) => /Connection lost/.test(m)),
        markers.join(),
      );

      // Hibernate: the sandbox asks to suspend, its pod goes away.
      api.set('sandboxes', sandbox('Suspended'));
      api.set('pods', undefined);
      await arrived('the hibernate marker', () => markers.some((m) => /Sandbox hibernated/.test(m)));
      api.set('sandboxes', sandbox('Suspended', true));
      await arrived('waiting', () => statuses.at(-1) === 'waiting');
      assert.ok(
        second.res.destroyed || second.res.writableEnded || (await new Promise((r) => second.res.once('close', () => r(true)))),
        'the old stream was closed',
      );

      // Resume: a new pod, first starting, then running; its log is read from the beginning.
      api.set('sandboxes', sandbox('Running'));
      api.set('pods', pod('u2', false));
      api.set('pods', pod('u2', true));
      const third = await api.log(2);
      assert.equal(third.url.searchParams.get('sinceTime'), null);
      assert.equal(third.url.searchParams.get('tailLines'), null);
      third.res.write('2026-08-22T09:00:00Z fresh start\n');
      await arrived("the new pod's line", () => text.endsWith('fresh start\n'));
      assert.ok(
        markers.some((m) => /New pod sb \(u2\)/.test(m)),
        markers.join(),
      );
      assert.equal(api.logs.length, 3, 'no stray reconnects');
    } finally {
      follower.dispose();
    }
  });
});

describe('log follower on a connection that silently dies', { timeout: 30_000 }, () => {
  const fake = fakeApiInSuite();

  it('a follow that goes silent is re-opened from the last line within the inactivity window, quietly', async () => {
    const { api, client } = fake;
    api.sandbox = sandbox('Running');
    api.pod = pod('u1');
    let text = '';
    const markers: string[] = [];
    const statuses: string[] = [];
    const sink: LogSink = { data: (t) => (text += t), marker: (t) => markers.push(t), status: (s) => statuses.push(s.state), clear: () => (text = '') };
    const follower = follow(client, sink, { minHealthyMs: 100, streamInactivityMs: 400 });
    follower.start();
    try {
      const first = await api.log(0);
      first.res.write('2026-08-22T10:00:00.1Z one\n');
      // Then nothing: no data, no end — what a dropped path looks like. The follower must not wait forever.
      const second = await api.log(1);
      assert.equal(second.url.searchParams.get('sinceTime'), '2026-08-22T10:00:00.1Z');
      second.res.write('2026-08-22T10:00:00.1Z one\n2026-08-22T10:00:02Z two\n');
      await waitFor(() => text.endsWith('two\n'), { timeout: 5000, interval: 20, message: () => `the second line (text=${JSON.stringify(text)})` });
      assert.equal(text, 'one\ntwo\n');
      assert.deepEqual(markers, [], 'a quiet re-open shows no "connection lost"');
      assert.ok(!statuses.includes('retrying'), statuses.join());
    } finally {
      follower.dispose();
    }
  });
});
